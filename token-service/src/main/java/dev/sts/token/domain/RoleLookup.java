package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Finds the role to assume: from the permission view ({@link RolePermissions}) when it holds the role (no call to
 * role-service in the steady state), else from the {@link RoleDirectory} (role-service), which
 * also answers for a role created a moment ago that the view has not received yet and for a role
 * that does not exist.
 *
 * <p>The view follows role-service's changes within seconds (measured in PermissionViewFlowTest),
 * so a trust policy changed a moment ago may still be the previous one for that long. AWS
 * documents the same for IAM ("changes ... take time to become visible", "Troubleshoot IAM",
 * eventual consistency); the view never goes back to an older revision of a role.
 */
@ApplicationScoped
public class RoleLookup {
    private final RolePermissions view;
    private final RoleDirectory directory;

    public RoleLookup(RolePermissions view, RoleDirectory directory) {
        this.view = view;
        this.directory = directory;
    }

    /** The role whose ARN is exactly {@code arn}, empty when there is none. */
    public Uni<Optional<RoleView>> find(Arns.RoleArn arn) {
        if (view.caughtUp()) {
            Optional<RoleView> held = view.role(arn.arn());
            if (held.isPresent()) {
                return Uni.createFrom().item(held);
            }
        }
        // The ARN must name the stored role exactly (account and path included).
        return directory.find(arn.name()).map(found -> found.filter(r -> r.arn().equals(arn.arn())));
    }
}
