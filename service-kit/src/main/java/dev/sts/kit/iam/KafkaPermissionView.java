package dev.sts.kit.iam;

import dev.sts.kit.events.CompactedTopicReader;
import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The permission view every service authorizes role sessions with, kept in memory from
 * {@code sts.permission-state.v1} (compacted, keyed by ARN; {@link PermissionState} holds and
 * applies it).
 *
 * <p>How it reads, and why:
 * <ul>
 * <li>On its own platform thread, never a Vert.x event loop: a poll blocks.</li>
 * <li>Every partition is {@code assign}ed, with no consumer group and no committed offsets: every
 * replica of every service needs the whole topic, from the start.</li>
 * <li>At start it notes the end offset of each partition; it is {@link #caughtUp() caught up} once
 * its position reaches each of them, and readiness waits for that. Until then the view may hold an
 * older state of a role than the current one, so the authorizer refuses every session.</li>
 * <li>A record that cannot be used (too large, undecodable, a key that is not its state's ARN, an
 * unexpected event) is counted and skipped, and logged by its coordinates, never its contents; it
 * never stops the view.</li>
 * <li>When the consumer fails (a broker away longer than a request timeout, an error in poll), it is
 * closed and a new one resumes from the offset after the last record applied, after a backoff that
 * doubles up to {@code sts.permission-view.max-reconnect-backoff}. Resuming, not re-reading, keeps
 * the view from passing through older states of a role again.</li>
 * </ul>
 * Partitions are listed when a consumer is created; a partition added to the topic later is read
 * after the next reconnection. The reading itself is service-kit's {@link CompactedTopicReader},
 * shared with the revocation view.
 */
@ApplicationScoped
public class KafkaPermissionView implements PermissionView {
    /** The name of the view's consumer thread. */
    public static final String THREAD = "sts-permission-view";

    private final PermissionState state = new PermissionState();
    private final boolean enabled;
    private final CompactedTopicReader reader;

    @Inject
    public KafkaPermissionView(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            PermissionViewConfig config, InstantSource clock) {
        this(() -> new KafkaConsumer<>(
                CompactedTopicReader.consumerProperties(bootstrapServers, THREAD, config.requestTimeout()),
                new StringDeserializer(), new ByteArrayDeserializer()), config, clock);
    }

    /** For tests: any consumer (e.g. Kafka's {@code MockConsumer}). */
    KafkaPermissionView(Supplier<Consumer<String, byte[]>> consumers, PermissionViewConfig config, InstantSource clock) {
        this.enabled = config.enabled();
        this.reader = new CompactedTopicReader(THREAD, Topics.PERMISSION_STATE, consumers, this::apply,
                config.maxRecordBytes(), config.maxReconnectBackoff(), config.requestTimeout(), clock);
    }

    /** One record of the topic into the state; a record it cannot use is named by its reason. */
    private String apply(String key, byte[] value) {
        PermissionState.Result result = state.apply(key, value);
        return switch (result) {
            case APPLIED -> CompactedTopicReader.APPLIED;
            case REMOVED -> CompactedTopicReader.REMOVED;
            default -> result.name().toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the consumer thread (once); does nothing when the view is disabled. */
    public void start() {
        if (enabled) {
            reader.start();
        }
    }

    @PreDestroy
    void stop() {
        reader.stop();
    }

    @Override
    public Optional<RoleState> role(String roleArn) {
        return state.role(roleArn);
    }

    @Override
    public Optional<ManagedPolicyState> managedPolicy(String policyArn) {
        return state.managedPolicy(policyArn);
    }

    @Override
    public Optional<EffectivePermissions> permissionsOf(String roleArn) {
        return state.permissionsOf(roleArn);
    }

    @Override
    public boolean caughtUp() {
        return enabled && reader.caughtUp();
    }

    /** Whether the view reads the topic at all ({@code sts.permission-view.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** What readiness shows: progress, counts and the consumer's state. */
    public Stats stats() {
        CompactedTopicReader.Stats r = reader.stats();
        return new Stats(enabled, caughtUp(), enabled ? r.consumerState() : "disabled", r.recordsApplied(),
                r.tombstones(), r.recordsSkipped(), r.lag(), state.roleCount(), state.policyCount(),
                state.unusableRoleCount(), r.consumerFailures(), r.startedAt(), r.caughtUpAt());
    }

    /**
     * A snapshot of the view.
     *
     * @param lag records between the view and the end of the topic (at start: to the end offsets it
     *     noted), or -1 before it knows
     * @param unusableRoles roles held whose documents do not all parse, which may therefore do nothing
     */
    public record Stats(boolean enabled, boolean caughtUp, String consumerState, long recordsApplied,
            long tombstones, Map<String, Long> recordsSkipped, long lag, int roles, int customerManagedPolicies,
            int unusableRoles, long consumerFailures, Instant startedAt, Instant caughtUpAt) {
        public long skippedTotal() {
            return recordsSkipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
