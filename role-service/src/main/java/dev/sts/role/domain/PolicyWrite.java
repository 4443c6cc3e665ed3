package dev.sts.role.domain;

import java.util.List;
import java.util.Optional;

/**
 * What a managed-policy change decided: the policy as read (under the store's row lock), the
 * policy afterwards (empty: delete it with its versions), the events, and the caller's answer.
 */
public record PolicyWrite<T>(PolicyDetails before, Optional<PolicyDetails> after, List<OutboxEvent> events, T result) {
    public PolicyWrite {
        events = List.copyOf(events);
    }
}
