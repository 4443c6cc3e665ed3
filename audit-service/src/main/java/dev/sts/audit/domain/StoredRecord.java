package dev.sts.audit.domain;

import dev.sts.proto.v1.AuditRecord;
import java.time.Instant;

/**
 * A stored row: the record with its chain fields filled in, the row id that orders pages, and the
 * event time as the database holds it. Cursors use the stored time: PostgreSQL keeps microseconds,
 * and a cursor built from the record's nanoseconds would compare wrongly with the column.
 */
public record StoredRecord(long id, AuditRecord record, Instant eventTime) {
    /** With the event time of the record itself (tests, and rows whose time has no sub-microsecond part). */
    public StoredRecord(long id, AuditRecord record) {
        this(id, record, Instant.ofEpochSecond(record.getEventTime().getSeconds(), record.getEventTime().getNanos()));
    }
}
