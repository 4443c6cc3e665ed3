package dev.sts.token.domain;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** Looks roles up by name (role-service, over gRPC). */
public interface RoleDirectory {
    /** The role, empty when it does not exist; fails with ServiceUnavailable when role-service cannot answer. */
    Uni<Optional<RoleView>> find(String roleName);
}
