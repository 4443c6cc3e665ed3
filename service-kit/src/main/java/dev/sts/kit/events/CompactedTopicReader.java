package dev.sts.kit.events;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads a whole compacted topic into memory and follows it: the state every replica of every
 * service needs (no consumer group, no committed offsets). The permission view (docs/adr/011) and
 * the revocation view (docs/adr/013) read through it; a {@link Handler} applies the records:
 * <ul>
 * <li>its own platform thread, never a Vert.x event loop: a poll blocks;</li>
 * <li>every partition {@code assign}ed, read from the start; the end offsets found at start
 * decide when it is {@link #caughtUp() caught up};</li>
 * <li>a record the handler cannot use is counted under the handler's reason and skipped, logged
 * by its coordinates only;</li>
 * <li>after a consumer failure, a new consumer resumes after the last record applied, after a
 * backoff that doubles up to the configured maximum.</li>
 * </ul>
 */
public final class CompactedTopicReader {
    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** What a handler answers for a record it applied. */
    public static final String APPLIED = "applied";
    /** What a handler answers for a tombstone it applied. */
    public static final String REMOVED = "removed";

    /** Applies one record; answers {@link #APPLIED}, {@link #REMOVED} or the reason it skipped it. */
    @FunctionalInterface
    public interface Handler {
        String apply(String key, byte[] value);

        /** Called on the reader's thread after every poll, e.g. to drop state that has expired. */
        default void afterPoll(Instant now) {
        }
    }

    private final String name;
    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Handler handler;
    private final int maxRecordBytes;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final InstantSource clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong consumerFailures = new AtomicLong();
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();

    /** Reader thread only. */
    private Map<TopicPartition, Long> endOffsetsAtStart;
    /** Reader thread only: the offset after the last record applied, per partition. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Thread thread;
    private volatile Consumer<String, byte[]> current;
    private volatile Instant startedAt;
    private volatile Instant caughtUpAt;
    private volatile long lag = -1;
    private volatile String consumerState = "not started";

    /**
     * @param name the thread's name and the prefix of log lines
     * @param maxRecordBytes a larger record value is skipped ("too-large"), never handed to the handler
     */
    public CompactedTopicReader(String name, String topic, Supplier<Consumer<String, byte[]>> consumers, Handler handler,
            int maxRecordBytes, Duration maxBackoff, Duration requestTimeout, InstantSource clock) {
        this.name = name;
        this.topic = topic;
        this.consumers = consumers;
        this.handler = handler;
        this.maxRecordBytes = maxRecordBytes;
        this.maxBackoff = maxBackoff;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** Consumer settings for a reader: no group, no commits, no topic creation, bounded requests. */
    public static Properties consumerProperties(String bootstrapServers, String clientId, Duration requestTimeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A service never creates a topic (docs/adr/008): a missing topic keeps the reader not ready.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout.toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout.toMillis()));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        // A record is applied as soon as the broker has it: the broker answers a fetch at the first byte.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return p;
    }

    /** Starts the reader thread (once). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        startedAt = clock.instant();
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the thread and closes the consumer; waits up to 5 s. */
    public void stop() {
        running = false;
        stopped.countDown();
        Consumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether every record that was on the topic when the reader started has been applied. */
    public boolean caughtUp() {
        return caughtUp;
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
                    break;
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
                    handler.afterPoll(clock.instant());
                    progress(consumer, partitions);
                    backoff = FIRST_BACKOFF;
                }
            } catch (WakeupException e) {
                // stop() woke the consumer: the loop condition ends the thread
            } catch (RuntimeException e) {
                // Never ends the thread: the state must come back when the broker does.
                consumerFailures.incrementAndGet();
                consumerState = "reconnecting after " + e.getClass().getSimpleName();
                LOG.warnf("%s: the consumer failed (%s: %s); reconnecting in %d ms", name, e.getClass().getSimpleName(),
                        e.getMessage(), backoff.toMillis());
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
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
        consumerState = "stopped";
    }

    private List<TopicPartition> partitions(Consumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, requestTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private void position(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        if (endOffsetsAtStart == null) {
            consumer.seekToBeginning(partitions);
            endOffsetsAtStart = Map.copyOf(consumer.endOffsets(partitions, requestTimeout));
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
        String result;
        try {
            result = r.value() != null && r.value().length > maxRecordBytes ? "too-large" : handler.apply(r.key(), r.value());
        } catch (RuntimeException e) {
            LOG.errorf("%s: applying the record at %s-%d offset %d failed: %s", name, r.topic(), r.partition(), r.offset(),
                    e.getClass().getName());
            result = "failed";
        }
        if (APPLIED.equals(result)) {
            applied.incrementAndGet();
        } else if (REMOVED.equals(result)) {
            removed.incrementAndGet();
        } else {
            skipped.computeIfAbsent(result, k -> new AtomicLong()).incrementAndGet();
            LOG.warnf("%s: skipped the record at %s-%d offset %d: %s", name, r.topic(), r.partition(), r.offset(), result);
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
                LOG.infof("%s: caught up with %s in %d ms", name, topic, Duration.between(startedAt, caughtUpAt).toMillis());
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

    private void closeQuietly(Consumer<String, byte[]> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        } catch (RuntimeException e) {
            LOG.debugf("%s: closing the consumer: %s", name, e.toString());
        }
    }

    /** What readiness shows. */
    public Stats stats() {
        Map<String, Long> skips = new TreeMap<>();
        skipped.forEach((r, n) -> skips.put(r, n.get()));
        return new Stats(caughtUp, consumerState, applied.get(), removed.get(), skips, lag, consumerFailures.get(),
                startedAt, caughtUpAt);
    }

    /**
     * A snapshot of the reader.
     *
     * @param lag records between the reader and the end of the topic (at start: to the end offsets
     *     it noted), or -1 before it knows
     */
    public record Stats(boolean caughtUp, String consumerState, long recordsApplied, long tombstones,
            Map<String, Long> recordsSkipped, long lag, long consumerFailures, Instant startedAt, Instant caughtUpAt) {
        public long skippedTotal() {
            return recordsSkipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
