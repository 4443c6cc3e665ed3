package dev.sts.token.events;

import dev.sts.kit.revocation.RevocationsConfig;
import dev.sts.token.domain.RevocationLog;
import dev.sts.token.domain.RevocationStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps {@code sts.revocations.v1} in step with the {@code revocations} table, on its own platform
 * thread: publishes revocations whose publication in the request was not acknowledged (the broker
 * was down: the caller heard {@code ServiceUnavailable}, the revocation still takes effect when
 * the broker is back), and writes the tombstone of every revocation that expired, so that the
 * compacted topic holds only revocations in force. Every replica runs it; two replicas sending the
 * same record or tombstone do no harm (same key, same event id: audit-service stores it once).
 */
@ApplicationScoped
public class RevocationRelay {
    private static final Logger LOG = Logger.getLogger(RevocationRelay.class);
    /** A row younger than this may still be in its request's publication. */
    static final Duration GRACE = Duration.ofSeconds(15);
    static final int BATCH = 100;
    /** The longest wait for one acknowledgement (the publisher's own timeout is shorter). */
    static final Duration ACK_WAIT = Duration.ofSeconds(15);

    private final RevocationStore store;
    private final RevocationLog log;
    private final InstantSource clock;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public RevocationRelay(RevocationStore store, RevocationLog log, InstantSource clock, RevocationsConfig config) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.interval = config.maintenanceInterval();
    }

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sts-revocation-relay");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce(clock.instant());
            } catch (RuntimeException e) {
                LOG.warnf("revocation relay: %s; trying again in %d ms", e.getMessage(), interval.toMillis());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * One pass as of {@code now}: publishes what was not acknowledged, tombstones what expired.
     * Blocking; stops at the first failure (the broker is away), the next pass goes on.
     *
     * @return records written (events and tombstones)
     */
    public synchronized int runOnce(Instant now) {
        int written = 0;
        for (RevocationStore.Pending p : store.unpublished(now, now.minus(GRACE), BATCH)) {
            log.publish(p.id(), p.event()).await().atMost(ACK_WAIT);
            store.markPublished(p.id(), clock.instant());
            LOG.infof("revocation relay: published revocation %s", p.id());
            written++;
        }
        for (RevocationStore.Pending p : store.expired(now, BATCH)) {
            log.tombstone(p.id()).await().atMost(ACK_WAIT);
            store.markTombstoned(p.id(), clock.instant());
            LOG.debugf("revocation relay: tombstoned expired revocation %s", p.id());
            written++;
        }
        return written;
    }
}
