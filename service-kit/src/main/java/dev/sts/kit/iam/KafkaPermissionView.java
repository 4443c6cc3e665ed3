package dev.sts.kit.iam;

import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

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
 * after the next reconnection.
 */
@ApplicationScoped
public class KafkaPermissionView implements PermissionView {
    private static final Logger LOG = Logger.getLogger(KafkaPermissionView.class);
    /** The name of the view's consumer thread. */
    public static final String THREAD = "sts-permission-view";
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final PermissionState state = new PermissionState();
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final boolean enabled;
    private final int maxRecordBytes;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final InstantSource clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong consumerFailures = new AtomicLong();
    private final Map<PermissionState.Result, AtomicLong> skipped = new EnumMap<>(PermissionState.Result.class);

    /** Consumer thread only. */
    private Map<TopicPartition, Long> endOffsetsAtStart;
    /** Consumer thread only: the offset after the last record applied, per partition. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Thread thread;
    private volatile Consumer<String, byte[]> current;
    private volatile Instant startedAt;
    private volatile Instant caughtUpAt;
    private volatile long lag = -1;
    private volatile String consumerState = "not started";

    @Inject
    public KafkaPermissionView(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            PermissionViewConfig config, InstantSource clock) {
        this(() -> new KafkaConsumer<>(consumerProperties(bootstrapServers, config), new StringDeserializer(),
                new ByteArrayDeserializer()), config, clock);
    }

    /** For tests: any consumer (e.g. Kafka's {@code MockConsumer}). */
    KafkaPermissionView(Supplier<Consumer<String, byte[]>> consumers, PermissionViewConfig config, InstantSource clock) {
        this.consumers = consumers;
        this.enabled = config.enabled();
        this.maxRecordBytes = config.maxRecordBytes();
        this.maxBackoff = config.maxReconnectBackoff();
        this.requestTimeout = config.requestTimeout();
        this.clock = clock;
        for (PermissionState.Result r : PermissionState.Result.values()) {
            if (r != PermissionState.Result.APPLIED && r != PermissionState.Result.REMOVED) {
                skipped.put(r, new AtomicLong());
            }
        }
    }

    static Properties consumerProperties(String bootstrapServers, PermissionViewConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sts-permission-view");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A service never creates a topic (docs/adr/008): a missing topic keeps the view not ready.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // An offset that no longer exists (the topic was recreated) is read again from the start.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(config.requestTimeout().toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(config.requestTimeout().toMillis()));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        // A change is applied as soon as the broker has it: the broker answers a fetch at the first byte.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        return p;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts the consumer thread (once); does nothing when the view is disabled. */
    public synchronized void start() {
        if (!enabled) {
            consumerState = "disabled";
            return;
        }
        if (thread != null) {
            return;
        }
        running = true;
        startedAt = clock.instant();
        Thread t = new Thread(this::run, THREAD);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        stopped.countDown();
        Consumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            Consumer<String, byte[]> consumer = null;
            try {
                consumerState = "connecting";
                consumer = consumers.get();
                current = consumer;
                if (!running) {
                    break; // stop() came before it could wake this consumer
                }
                List<TopicPartition> partitions = partitions(consumer);
                consumer.assign(partitions);
                position(consumer, partitions);
                consumerState = caughtUp ? "following" : "catching up";
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    for (ConsumerRecord<String, byte[]> r : records) {
                        handle(r);
                        next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
                    progress(consumer, partitions);
                    backoff = FIRST_BACKOFF;
                }
            } catch (WakeupException e) {
                // stop() woke the consumer: the loop condition ends the thread
            } catch (RuntimeException e) {
                // Never ends the thread: the view must come back when the broker does.
                consumerFailures.incrementAndGet();
                consumerState = "reconnecting after " + e.getClass().getSimpleName();
                LOG.warnf("permission view: the consumer failed (%s: %s); reconnecting in %d ms",
                        e.getClass().getSimpleName(), e.getMessage(), backoff.toMillis());
            } finally {
                current = null;
                closeQuietly(consumer);
            }
            if (running) {
                try {
                    if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    // nobody interrupts this thread but the JVM at exit
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
        consumerState = "stopped";
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.PERMISSION_STATE, requestTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.PERMISSION_STATE + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    /** From the start the first time (noting where the topic ends); after a reconnection, where it left off. */
    private void position(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        if (endOffsetsAtStart == null) {
            consumer.seekToBeginning(partitions);
            endOffsetsAtStart = Map.copyOf(consumer.endOffsets(partitions, requestTimeout));
            LOG.debugf("permission view: reading %s to end offsets %s", Topics.PERMISSION_STATE, endOffsetsAtStart);
            return;
        }
        for (TopicPartition tp : partitions) {
            Long offset = next.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        PermissionState.Result result;
        try {
            result = r.value() != null && r.value().length > maxRecordBytes
                    ? PermissionState.Result.TOO_LARGE
                    : state.apply(r.key(), r.value());
        } catch (RuntimeException e) {
            // Never expected; but a record that cannot be applied must not be retried forever.
            LOG.errorf("permission view: applying the record at %s-%d offset %d failed: %s", r.topic(), r.partition(),
                    r.offset(), e.getClass().getName());
            result = PermissionState.Result.FAILED;
        }
        switch (result) {
            case APPLIED -> applied.incrementAndGet();
            case REMOVED -> removed.incrementAndGet();
            default -> {
                skipped.get(result).incrementAndGet();
                LOG.warnf("permission view: skipped the record at %s-%d offset %d: %s", r.topic(), r.partition(),
                        r.offset(), result.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
    }

    private void progress(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        if (!caughtUp) {
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : endOffsetsAtStart.entrySet()) {
                behind += Math.max(0, end.getValue() - consumer.position(end.getKey(), requestTimeout));
            }
            lag = behind;
            if (behind == 0) {
                caughtUpAt = clock.instant();
                caughtUp = true;
                consumerState = "following";
                LOG.infof("permission view: caught up with %s in %d ms: %d roles, %d customer-managed policies",
                        Topics.PERMISSION_STATE, Duration.between(startedAt, caughtUpAt).toMillis(), state.roleCount(),
                        state.policyCount());
            }
            return;
        }
        long behind = 0;
        for (TopicPartition tp : partitions) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                behind += l.getAsLong();
            }
        }
        lag = behind;
    }

    private static void closeQuietly(Consumer<String, byte[]> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        } catch (RuntimeException e) {
            LOG.debugf("permission view: closing the consumer: %s", e.toString());
        }
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
        return caughtUp;
    }

    /** Whether the view reads the topic at all ({@code sts.permission-view.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** What readiness shows: progress, counts and the consumer's state. */
    public Stats stats() {
        Map<String, Long> skips = new java.util.TreeMap<>();
        skipped.forEach((r, n) -> skips.put(r.name().toLowerCase(Locale.ROOT).replace('_', '-'), n.get()));
        return new Stats(enabled, caughtUp, consumerState, applied.get(), removed.get(), skips, lag, state.roleCount(),
                state.policyCount(), state.unusableRoleCount(), consumerFailures.get(), startedAt, caughtUpAt);
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
