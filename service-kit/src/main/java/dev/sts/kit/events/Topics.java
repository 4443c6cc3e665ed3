package dev.sts.kit.events;

/** The Kafka topics of the system; every record value is a serialized {@code sts.v1.StsEvent}. */
public final class Topics {
    /** RoleChanged, keyed by role or policy ARN. */
    public static final String ROLE_EVENTS = "sts.role-events.v1";
    /** SessionIssued and AssumeRoleDenied, keyed by role ARN. */
    public static final String SESSION_EVENTS = "sts.session-events.v1";
    /** SessionsRevoked, compacted, keyed by revocation id. */
    public static final String REVOCATIONS = "sts.revocations.v1";
    /**
     * Records audit-service could not store (undecodable, or refused by the database after bounded
     * retries), written unchanged with headers naming the reason and the source topic, partition,
     * offset and event id, so that a bad record never stops the audit trail and is never lost.
     */
    public static final String AUDIT_DEAD_LETTER = "sts.audit-dead-letter.v1";

    private Topics() {
    }
}
