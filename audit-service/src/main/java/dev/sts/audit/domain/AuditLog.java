package dev.sts.audit.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The append-only audit log, as the use cases see it. Persistence implements it and translates its
 * failures into {@link RecordRejectedException} (this record can never be stored) or
 * {@link AuditStoreUnavailableException} (try again later), so that callers decide between
 * dead-lettering and waiting without knowing SQL.
 */
public interface AuditLog {
    /**
     * Appends the entries in one transaction, each extending its partition's chain; an event id seen
     * before is skipped, so redelivery stores nothing twice. All or nothing.
     *
     * @return how many entries were new
     */
    int append(List<AuditEntry> entries);

    /** Records matching the query, newest first, after the cursor (exclusive, may be null), at most {@code limit}. */
    List<StoredRecord> lookup(AuditQuery query, Cursor after, int limit);

    Optional<StoredRecord> get(UUID eventId);
}
