package dev.sts.kit.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka topics of the system, defined once: names and every setting they are created with.
 * Every record value is a serialized {@code sts.v1.StsEvent} (the dead-letter topic adds the
 * reason in headers), except on {@link #AUDIT_CHECKPOINTS}, whose values are JWS.
 *
 * <p>Whatever creates topics uses {@link #ALL} or is checked against it: the local cluster and the
 * test infrastructure create them from it; {@code docker/kafka/create-topics.sh} and its copy in
 * {@code deploy/components/kafka-topics} are checked against it by a test. A service never creates
 * a topic itself: a topic created with broker defaults (one replica, {@code min.insync.replicas=1})
 * would make {@code acks=all} mean "one copy" behind the operator's back.
 *
 * <p>Replication factor and {@code min.insync.replicas} are not part of a topic's identity but of
 * the cluster it lives in: {@link Replication#SINGLE_BROKER} for the development cluster and tests,
 * {@link Replication#PRODUCTION} (3 / 2) otherwise; operators may pass their own.
 *
 * <p>This class uses nothing but the JDK: the local cluster puts only this jar on its classpath.
 */
public final class Topics {
    /** RoleChanged, keyed by role or policy ARN. */
    public static final String ROLE_EVENTS = "sts.role-events.v1";
    /** SessionIssued and AssumeRoleDenied, keyed by role ARN. */
    public static final String SESSION_EVENTS = "sts.session-events.v1";
    /** SessionsRevoked, compacted, keyed by revocation id. */
    public static final String REVOCATIONS = "sts.revocations.v1";
    /**
     * RoleState and ManagedPolicyState, compacted, keyed by role or policy ARN; a tombstone means
     * deleted. Read from the start, it is the complete current set of roles and customer-managed
     * policies: the permission view every service authorizes with.
     */
    public static final String PERMISSION_STATE = "sts.permission-state.v1";
    /**
     * Records audit-service could not store (undecodable, or refused by the database after bounded
     * retries), written unchanged with headers naming the reason and the source topic, partition,
     * offset and event id, so that a bad record never stops the audit trail and is never lost.
     */
    public static final String AUDIT_DEAD_LETTER = "sts.audit-dead-letter.v1";
    /**
     * Signed checkpoints of the audit hash chains, keyed by chain id: each value is a JWS (compact
     * serialization, UTF-8) by audit-service's checkpoint key, verifiable with the JWK set it serves
     * at {@code /.well-known/audit-checkpoint-jwks.json}. Copied out of the cluster, they anchor the
     * chains' heads where the audit database's owner cannot reach (docs/adr/021).
     */
    public static final String AUDIT_CHECKPOINTS = "sts.audit-checkpoints.v1";

    /** Partitions of every topic: audit-service runs one hash chain per partition, so this bounds its replicas. */
    public static final int PARTITIONS = 3;

    /** {@code cleanup.policy=delete}: records age out after the retention. */
    public static final String DELETE = "delete";
    /** {@code cleanup.policy=compact}: the latest record per key is kept. */
    public static final String COMPACT = "compact";

    /** Events are kept a week: audit-service stores them durably; a week covers any outage of it. */
    static final Duration EVENT_RETENTION = Duration.ofDays(7);
    /** Dead letters are evidence that the audit trail has a gap: kept a year for the investigation. */
    static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(365);
    /** Checkpoints anchor the audit log: kept a year, like dead letters, for an archive to copy. */
    static final Duration CHECKPOINT_RETENTION = Duration.ofDays(365);

    /**
     * How many copies of each partition the cluster keeps and how many must have a record before
     * an {@code acks=all} send succeeds.
     */
    public record Replication(short factor, int minInSyncReplicas) {
        /** One broker (local cluster, tests): 1 / 1. */
        public static final Replication SINGLE_BROKER = new Replication((short) 1, 1);
        /** A real cluster: 3 copies, 2 in sync, so an acknowledged event survives the loss of a broker. */
        public static final Replication PRODUCTION = new Replication((short) 3, 2);

        public Replication {
            if (factor < 1 || minInSyncReplicas < 1 || minInSyncReplicas > factor) {
                throw new IllegalArgumentException("replication factor " + factor + " with min.insync.replicas "
                        + minInSyncReplicas + ": need 1 <= min.insync.replicas <= replication factor");
            }
        }
    }

    /**
     * One topic as it must exist.
     *
     * @param retention {@code retention.ms}; empty for a compacted topic (kept until superseded)
     * @param minCompactionLag {@code min.compaction.lag.ms} of a compacted topic: how long a
     *        superseded record (a value replaced by a newer one or by a tombstone) stays readable,
     *        for consumers that must see every record and not only the latest per key
     */
    public record TopicSpec(String name, int partitions, String cleanupPolicy, Optional<Duration> retention,
            String purpose, Optional<Duration> minCompactionLag) {
        public TopicSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(minCompactionLag, "minCompactionLag");
            if (!cleanupPolicy.equals(DELETE) && !cleanupPolicy.equals(COMPACT)) {
                throw new IllegalArgumentException("cleanup.policy " + cleanupPolicy + " of " + name);
            }
            if (minCompactionLag.isPresent() && !cleanupPolicy.equals(COMPACT)) {
                throw new IllegalArgumentException("min.compaction.lag.ms of a topic that is not compacted: " + name);
            }
        }

        /** A topic whose superseded records may be compacted away at once. */
        public TopicSpec(String name, int partitions, String cleanupPolicy, Optional<Duration> retention,
                String purpose) {
            this(name, partitions, cleanupPolicy, retention, purpose, Optional.empty());
        }

        /**
         * The topic-level configuration to create it with on a cluster of this replication: cleanup
         * policy, retention (where it applies) and {@code min.insync.replicas}, in a stable order.
         */
        public Map<String, String> configs(Replication replication) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("cleanup.policy", cleanupPolicy);
            retention.ifPresent(r -> m.put("retention.ms", String.valueOf(r.toMillis())));
            minCompactionLag.ifPresent(l -> m.put("min.compaction.lag.ms", String.valueOf(l.toMillis())));
            m.put("min.insync.replicas", String.valueOf(replication.minInSyncReplicas()));
            return m;
        }
    }

    /** Every topic of the system, in a stable order. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(ROLE_EVENTS, PARTITIONS, DELETE, Optional.of(EVENT_RETENTION),
                    "role changes; key: role or policy ARN; one audit hash chain per partition"),
            new TopicSpec(SESSION_EVENTS, PARTITIONS, DELETE, Optional.of(EVENT_RETENTION),
                    "SessionIssued and denials, published with acks=all before credentials are returned"),
            // Every revocation is also an audit record: a revocation superseded by its tombstone
            // (token-service's relay deletes expired rules) stays readable as long as the session
            // events do, so audit-service, down for up to that long, still records it.
            new TopicSpec(REVOCATIONS, PARTITIONS, COMPACT, Optional.empty(),
                    "the latest revocation per key, replayed by every token-service replica", Optional.of(EVENT_RETENTION)),
            new TopicSpec(PERMISSION_STATE, PARTITIONS, COMPACT, Optional.empty(),
                    "the current state of every role and customer-managed policy; the permission view"),
            new TopicSpec(AUDIT_DEAD_LETTER, PARTITIONS, DELETE, Optional.of(DEAD_LETTER_RETENTION),
                    "events audit-service could not store, with the reason; a gap in the audit trail"),
            new TopicSpec(AUDIT_CHECKPOINTS, PARTITIONS, DELETE, Optional.of(CHECKPOINT_RETENTION),
                    "signed heads of the audit hash chains (JWS), to anchor them outside the audit database"));

    private Topics() {
    }

    /** The specification of a topic of the system, if it is one. */
    public static Optional<TopicSpec> spec(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The names of every topic, in the order of {@link #ALL}. */
    public static List<String> names() {
        return ALL.stream().map(TopicSpec::name).toList();
    }
}
