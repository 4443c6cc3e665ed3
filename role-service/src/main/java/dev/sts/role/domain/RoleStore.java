package dev.sts.role.domain;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Persistence of roles with their inline and attached policies; every change writes its events in the same transaction. */
public interface RoleStore {
    /**
     * Inserts the role and the events atomically; fails with EntityAlreadyExists on a name clash,
     * or with the reference's error when a referenced policy does not exist.
     */
    Uni<RoleDetails> insert(RoleDetails role, List<OutboxEvent> events, List<PolicyReference> references);

    Uni<Optional<Role>> findByName(String accountId, String roleName);

    /** The role with its inline and attached policies. */
    Uni<Optional<RoleDetails>> findDetails(String accountId, String roleName);

    /**
     * Up to {@code limit} roles whose path starts with {@code pathPrefix} and whose lower-case
     * name comes after {@code afterNameKey} (null: from the first), in that order.
     */
    Uni<List<Role>> list(String accountId, String pathPrefix, String afterNameKey, int limit);

    /**
     * Reads the role (empty if it does not exist), lets {@code change} decide, and applies what it
     * decided only if nobody changed the role in between (optimistic locking on the revision).
     * When somebody did, it reads again and lets {@code change} decide again, a bounded number of
     * times, then fails with {@code ConcurrentModification}. {@code change} must be free of side
     * effects: it may run more than once. {@code beforeWrite} runs before anything is written and
     * may refuse the write.
     */
    <T> Uni<T> update(String accountId, String roleName, Function<Optional<RoleDetails>, RoleWrite<T>> change,
            Supplier<Uni<Void>> beforeWrite);
}
