package dev.sts.audit.domain;

/**
 * The store could not be used (connection refused, database down, a conflict with a concurrent
 * writer, missing privileges): nothing is wrong with the record, so it is retried, never
 * dead-lettered, and readiness reports the store as failing meanwhile.
 */
public final class AuditStoreUnavailableException extends AuditStoreException {
    public AuditStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
