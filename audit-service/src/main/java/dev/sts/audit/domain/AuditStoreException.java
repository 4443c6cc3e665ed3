package dev.sts.audit.domain;

/**
 * A failure of the audit store, classified for the caller. The message is safe to log and to put
 * in a dead-letter header: it names the cause (e.g. an SQLState and PostgreSQL's primary message),
 * never the stored values.
 */
public abstract sealed class AuditStoreException extends RuntimeException
        permits RecordRejectedException, AuditStoreUnavailableException {
    protected AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
