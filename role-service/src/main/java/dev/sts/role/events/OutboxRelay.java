package dev.sts.role.events;

import dev.sts.kit.events.EventPublisher;
import dev.sts.role.persistence.OutboxEntity;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Relays outbox rows to Kafka in commit order. Rows are locked ({@code FOR UPDATE SKIP LOCKED}) so
 * replicas share the work without sending a row twice in the normal case, and a row is marked
 * published only after the broker acknowledged it. After a crash between the acknowledgement and
 * the commit a row is sent again: consumers deduplicate on the event id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final Mutiny.SessionFactory sessions;
    private final EventPublisher publisher;

    public OutboxRelay(Mutiny.SessionFactory sessions, EventPublisher publisher) {
        this.sessions = sessions;
        this.publisher = publisher;
    }

    @Scheduled(every = "${sts.role.outbox-interval:0.5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return relayBatch(100).onFailure().recoverWithItem(e -> {
            LOG.warnf("outbox relay paused: %s", e.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Publishes up to {@code limit} pending events; returns how many were published. */
    public Uni<Integer> relayBatch(int limit) {
        return sessions.withTransaction((session, tx) -> session
                .createNativeQuery("SELECT * FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT :n FOR UPDATE SKIP LOCKED",
                        OutboxEntity.class)
                .setParameter("n", limit)
                .getResultList()
                .flatMap(rows -> publishInOrder(rows).replaceWith(rows.size())));
    }

    private Uni<Void> publishInOrder(List<OutboxEntity> rows) {
        return Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(row -> publisher
                        .publish(row.topic, row.recordKey, row.payload)
                        .invoke(() -> row.publishedAt = OffsetDateTime.now(ZoneOffset.UTC)))
                .collect().last().replaceWithVoid();
    }

}
