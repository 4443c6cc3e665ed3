package dev.sts.role.persistence;

import dev.sts.role.domain.OutboxEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Rows of {@code outbox}. Changes insert theirs in their own transaction, after the statement that
 * locked what they change (the role's compare-and-set, the policy's row lock): two changes of one
 * role or policy then get outbox sequence numbers in commit order, which the relay keeps.
 */
@ApplicationScoped
public class Outbox {
    private final Mutiny.SessionFactory sessions;

    public Outbox(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Stores one event in a transaction of its own (the audit record of a refused call). */
    public Uni<Void> append(OutboxEvent event, Instant at) {
        return sessions.withStatelessTransaction(session -> insert(session, List.of(event), at));
    }

    static Uni<Void> insert(Mutiny.StatelessSession session, List<OutboxEvent> events, Instant at) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OutboxEvent e : events) {
            chain = chain.chain(() -> session.insert(entity(e, at)));
        }
        return chain;
    }

    static OutboxEntity entity(OutboxEvent event, Instant at) {
        OutboxEntity outbox = new OutboxEntity();
        outbox.eventId = event.eventId();
        outbox.topic = event.topic();
        outbox.recordKey = event.key();
        outbox.payload = event.payload();
        outbox.createdAt = Columns.utc(at);
        return outbox;
    }
}
