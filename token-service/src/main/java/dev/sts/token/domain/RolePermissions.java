package dev.sts.token.domain;

import dev.sts.kit.iam.EffectivePermissions;
import dev.sts.policy.Policy;
import java.util.Optional;

/**
 * Port: the roles and their permissions as every service sees them, from the permission view (no
 * call to role-service). Answers from memory.
 */
public interface RolePermissions {
    /** Whether the view has read its topic to the end it found at start; until then nothing it says is trusted. */
    boolean caughtUp();

    /** The role, with its tags, if the view holds it. */
    Optional<RoleView> role(String roleArn);

    /** The role's identity policies and boundary, empty when it does not exist or a policy of it does not parse. */
    Optional<EffectivePermissions> permissionsOf(String roleArn);

    /**
     * A managed policy's current default document as a session policy (the {@code policy_arns} of
     * AssumeRole), empty when the policy does not exist or does not parse.
     */
    Optional<Policy> managedSessionPolicy(String policyArn);
}
