package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;
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

    /**
     * What a calling session brings to an evaluation: its role's identity policies, boundary and
     * tags, and its own session policies (inline and managed); or why it brings nothing (fail
     * closed: the view behind, the role gone or replaced, a policy that does not parse).
     */
    AssumeRoleAuthorization.CallerPolicies policiesOf(SessionClaims session);

    /**
     * A managed policy's current default document as a session policy (the {@code policy_arns} of
     * AssumeRole), empty when the policy does not exist or does not parse.
     */
    Optional<Policy> managedSessionPolicy(String policyArn);
}
