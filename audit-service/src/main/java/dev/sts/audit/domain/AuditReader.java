package dev.sts.audit.domain;

import java.util.List;
import java.util.Optional;

/**
 * Reads of the audit log beyond {@link AuditLog#lookup}: the export's oldest-first pages and the
 * session records that lineage follows. Persistence implements it; failures surface as
 * {@link AuditStoreException}s.
 */
public interface AuditReader {
    /** Records matching the query, oldest first ({@code event_time, id} ascending), after the cursor (exclusive, may be null), at most {@code limit}. */
    List<StoredRecord> exportPage(AuditQuery query, Cursor after, int limit);

    /** The successful AssumeRole / AssumeRoleWithWebIdentity record that issued this session. */
    Optional<StoredRecord> sessionIssued(String sessionId);

    /** The successful AssumeRole / AssumeRoleWithWebIdentity record that issued these credentials. */
    Optional<StoredRecord> sessionIssuedForAccessKey(String accessKeyId);

    /** Successful AssumeRole records whose caller acted with this session, oldest first, at most {@code limit}. */
    List<StoredRecord> sessionsIssuedTo(String callerSessionId, int limit);
}
