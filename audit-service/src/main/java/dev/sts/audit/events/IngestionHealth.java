package dev.sts.audit.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

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

    public Snapshot snapshot() {
        Thread t = thread;
        return new Snapshot(t != null && t.isAlive(), startedAt, lastPoll, storeProblem, consumerProblem, lag);
    }
}
