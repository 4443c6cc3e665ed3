package dev.sts.audit.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What readiness needs to know about ingestion, written by the consumer thread and read by health
 * checks: whether the thread runs, when it last polled, whether the store is failing, and the lag.
 * A stalled audit trail must show, because token-service keeps issuing credentials meanwhile.
 */
@ApplicationScoped
public class IngestionHealth {
    /** A consistent view for one health check. */
    public record Snapshot(boolean running, Instant startedAt, Instant lastPoll, String storeProblem, String consumerProblem,
            Map<String, Long> lagByPartition) {
        public long totalLag() {
            return lagByPartition.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private volatile Thread thread;
    private volatile Instant startedAt;
    private volatile Instant lastPoll;
    private volatile String storeProblem;
    private volatile String consumerProblem;
    private volatile Map<String, Long> lag = Map.of();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchNanos = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    void started(Thread consumerThread, Instant now) {
        thread = consumerThread;
        startedAt = now;
    }

    void polled(Instant now, Map<String, Long> lagByPartition) {
        lastPoll = now;
        lag = Map.copyOf(new TreeMap<>(lagByPartition));
        consumerProblem = null;
    }

    void storeFailing(String problem) {
        storeProblem = problem;
    }

    void storeOk() {
        storeProblem = null;
    }

    void consumerFailed(String problem) {
        consumerProblem = problem;
    }

    void stored(int added, long nanos) {
        stored.addAndGet(added);
        batches.incrementAndGet();
        batchNanos.addAndGet(nanos);
    }

    /** A record is on the dead-letter topic: one that could not be decoded, or that the database refused. */
    void deadLettered(boolean decoded) {
        (decoded ? refused : undecodable).incrementAndGet();
    }

    /** Counters since start, read by {@link IngestMetrics}. */
    public long recordsStored() {
        return stored.get();
    }

    public long batchesStored() {
        return batches.get();
    }

    public double batchSeconds() {
        return batchNanos.get() / 1e9;
    }

    /** Dead letters since start: {@code undecodable} (not an event this version can store) or {@code refused} (by the database as data). */
    public long deadLetters(String reason) {
        return switch (reason) {
            case IngestMetrics.UNDECODABLE -> undecodable.get();
            case IngestMetrics.REFUSED -> refused.get();
            default -> 0;
        };
    }

    public Snapshot snapshot() {
        Thread t = thread;
        return new Snapshot(t != null && t.isAlive(), startedAt, lastPoll, storeProblem, consumerProblem, lag);
    }
}
