package dev.sts.audit.domain;

import dev.sts.proto.v1.AuditRecord;

/** A stored row: the record with its chain fields filled in, and the row id that orders pages. */
public record StoredRecord(long id, AuditRecord record) {
}
