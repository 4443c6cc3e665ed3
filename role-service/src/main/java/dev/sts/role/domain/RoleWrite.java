package dev.sts.role.domain;

import java.util.List;
import java.util.Optional;

/**
 * What a role change decided, for the store to apply atomically: the role as it was read, the role
 * as it must be afterwards (empty: delete it), the events to store with it, the managed policies it
 * starts to use, and the answer for the caller. The store writes the difference between
 * {@code before} and {@code after} only if the role is still at {@code before}'s revision.
 */
public record RoleWrite<T>(RoleDetails before, Optional<RoleDetails> after, List<OutboxEvent> events,
        List<PolicyReference> references, T result) {

    public RoleWrite {
        events = List.copyOf(events);
        references = List.copyOf(references);
    }

    /** Nothing to write (the request changes nothing); the caller gets {@code result}. */
    public static <T> RoleWrite<T> nothing(T result) {
        return new RoleWrite<>(null, Optional.empty(), List.of(), List.of(), result);
    }

    public boolean writes() {
        return before != null;
    }
}
