package dev.sts.role.domain;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Persistence of customer-managed policies and their versions. */
public interface PolicyStore {
    /** Inserts the policy, its versions and the events atomically; EntityAlreadyExists on a name clash. */
    Uni<PolicyDetails> insert(PolicyDetails policy, List<OutboxEvent> events);

    /** The customer-managed policy with this ARN, its versions and usage. */
    Uni<Optional<PolicyDetails>> find(String accountId, String policyArn);

    /**
     * Up to {@code limit} customer-managed policies in (lower-case name, ARN) order after the given
     * position (null: from the first), with their usage but without their versions.
     */
    Uni<List<PolicyDetails>> list(String accountId, String pathPrefix, boolean onlyAttached, String afterNameKey,
            String afterArn, int limit);

    /** How often each of these policies (e.g. AWS-managed ones) is attached or used as boundary. */
    Uni<Map<String, PolicyUsage>> usage(Collection<String> policyArns);

    /**
     * Reads the policy under an exclusive row lock (empty if it does not exist), lets
     * {@code change} decide and applies what it decided in the same transaction. The lock orders
     * the change after any role change that started to use the policy, so that usage counts read
     * here are current.
     */
    <T> Uni<T> update(String accountId, String policyArn, Function<Optional<PolicyDetails>, PolicyWrite<T>> change,
            Supplier<Uni<Void>> beforeWrite);
}
