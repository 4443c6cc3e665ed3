package dev.sts.kit.iam;

import dev.sts.policy.Policy;
import java.util.List;
import java.util.Optional;

/**
 * A role's permission policies as the policy engine takes them.
 *
 * @param roleArn the role
 * @param revision the role's revision these were computed from
 * @param identityPolicies inline policies (named by their policy name) and the default versions of
 *     attached managed policies (named by their ARN), parsed as identity policies
 * @param boundary the permissions boundary's default document, when the role has one. A boundary
 *     whose policy no longer exists is a boundary that allows nothing (fail closed), never "no
 *     boundary".
 */
public record EffectivePermissions(String roleArn, long revision, List<Policy> identityPolicies,
        Optional<Policy> boundary) {
    public EffectivePermissions {
        identityPolicies = List.copyOf(identityPolicies);
    }
}
