package dev.sts.role.domain;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** Persistence of roles; every mutation writes its outbox event in the same transaction. */
public interface RoleStore {
    /** Inserts the role and the event atomically; fails with EntityAlreadyExists on a name clash. */
    Uni<Role> insert(Role role, OutboxEvent event);

    Uni<Optional<Role>> findByName(String accountId, String roleName);
}
