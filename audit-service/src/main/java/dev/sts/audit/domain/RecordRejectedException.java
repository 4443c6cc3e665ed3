package dev.sts.audit.domain;

/**
 * The store refused the data itself (a value too long, an invalid byte sequence, U+0000 in text, a
 * check violation): retrying the same record cannot succeed, so after bounded retries it is
 * dead-lettered instead of holding back every record behind it.
 */
public final class RecordRejectedException extends AuditStoreException {
    public RecordRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
