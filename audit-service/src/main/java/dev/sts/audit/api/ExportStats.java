package dev.sts.audit.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of ExportEvents: records read from the database and records handed to gRPC, over all
 * calls. Their difference is what exports hold in memory ahead of their clients; flow control
 * keeps it within one page per call however slowly a client reads.
 */
@ApplicationScoped
public class ExportStats {
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong active = new AtomicLong();

    void fetched(int n) {
        fetched.addAndGet(n);
    }

    void sent() {
        sent.incrementAndGet();
    }

    void started() {
        active.incrementAndGet();
    }

    void ended() {
        active.decrementAndGet();
    }

    /** Records read from the database by every export so far. */
    public long recordsFetched() {
        return fetched.get();
    }

    /** Records handed to gRPC by every export so far. */
    public long recordsSent() {
        return sent.get();
    }

    /** Exports in progress. */
    public long activeExports() {
        return active.get();
    }
}
