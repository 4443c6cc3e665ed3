package dev.sts.role.events;

import dev.sts.kit.events.EventPublisher;
import dev.sts.role.config.RoleConfig;
import dev.sts.role.persistence.OutboxEntity;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Relays outbox rows to Kafka in commit order, and marks a row published only after the broker
 * acknowledged it. After a crash between the acknowledgement and the commit a row is sent again:
 * consumers deduplicate on the event id, and a state record sent again is followed by the later
 * ones of its key, as before.
 *
 * <p>Single-flight across replicas: a batch runs only in the transaction that holds a PostgreSQL
 * advisory lock ({@code pg_try_advisory_xact_lock}, released at commit or rollback); a replica that
 * does not get it skips its turn. Two replicas relaying different rows at once (as {@code FOR
 * UPDATE SKIP LOCKED} allowed) could publish a later state of a role before an earlier one, and
 * on the compacted permission-state topic the earlier one would then win. One relay at a time
 * keeps every key's records in commit order; the outbox is small and the broker is the bottleneck,
 * so one sender loses nothing.
 *
 * <p>A row without payload is a tombstone and is sent as a record without a value.
 *
 * <p>It runs on a Vert.x event loop (reactive sessions need one) and never blocks it: the
 * {@link EventPublisher} sends on its own thread and answers within its publish timeout. While
 * the event log is unavailable the relay backs off (doubling up to {@code sts.role.outbox-max-backoff})
 * and logs the outage once, and the recovery once.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final Mutiny.SessionFactory sessions;
    private final EventPublisher publisher;
    private final InstantSource clock;
    private final RoleConfig config;
    /** Touched only by the scheduler, which runs one relay() at a time (SKIP). */
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    public OutboxRelay(Mutiny.SessionFactory sessions, EventPublisher publisher, InstantSource clock, RoleConfig config) {
        this.sessions = sessions;
        this.publisher = publisher;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${sts.role.outbox-interval:0.5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        if (clock.instant().isBefore(nextAttempt)) {
            return Uni.createFrom().voidItem();
        }
        return relayBatch(config.outboxBatchSize())
                .onItem().invoke(this::succeeded)
                .onFailure().recoverWithItem(e -> {
                    failed(e);
                    return 0;
                }).replaceWithVoid();
    }

    private void succeeded(int published) {
        if (failures > 0) {
            LOG.infof("outbox relay resumed after %d failed attempts; published %d event(s)", failures, published);
        }
        failures = 0;
        nextAttempt = Instant.MIN;
    }

    private void failed(Throwable e) {
        failures++;
        Duration pause = backoff(failures, config.outboxInterval(), config.outboxMaxBackoff());
        nextAttempt = clock.instant().plus(pause);
        if (failures == 1) {
            LOG.warnf("outbox relay paused: %s; retrying with backoff up to %s", e.getMessage(), config.outboxMaxBackoff());
        } else {
            LOG.debugf("outbox relay attempt %d failed: %s; next in %s", failures, e.getMessage(), pause);
        }
    }

    /** The pause after {@code failures} consecutive failures: the interval doubled per failure, capped. */
    static Duration backoff(int failures, Duration interval, Duration max) {
        Duration pause = interval;
        for (int i = 1; i < failures && pause.compareTo(max) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(max) > 0 ? max : pause;
    }

    /**
     * The advisory lock that makes the relay single-flight: one 64-bit key for this purpose in the
     * roles database ("STSOUTBX" in ASCII).
     */
    public static final long RELAY_LOCK = 0x5354_534F_5554_4258L;

    /** Publishes up to {@code limit} pending events; returns how many were published (0 if another replica is relaying). */
    public Uni<Integer> relayBatch(int limit) {
        return sessions.withTransaction((session, tx) -> session
                .createNativeQuery("SELECT pg_try_advisory_xact_lock(:key)", Boolean.class)
                .setParameter("key", RELAY_LOCK)
                .getSingleResult()
                .flatMap(relaying -> !relaying ? Uni.createFrom().item(0) : session
                        .createNativeQuery("SELECT * FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT :n",
                                OutboxEntity.class)
                        .setParameter("n", limit)
                        .getResultList()
                        .flatMap(rows -> publishInOrder(rows).replaceWith(rows.size()))));
    }

    private Uni<Void> publishInOrder(List<OutboxEntity> rows) {
        return Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(row -> publisher
                        .publish(row.topic, row.recordKey, row.payload)
                        .invoke(() -> row.publishedAt = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
                .collect().last().replaceWithVoid();
    }
}
