package dev.sts.kit.iam;

import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import java.util.Optional;

/**
 * The current roles and managed policies, as every service needs them to authorize role
 * sessions without calling role-service per request.
 *
 * <p>Fed by {@code sts.permission-state.v1} (compacted, read from the start): a service holds the
 * complete current set and sees each change within seconds. AWS-managed policies
 * ({@code arn:aws:iam::aws:policy/...}) come from the catalogue every service ships
 * ({@link AwsManagedPolicies}), never from the topic. Lookups are by ARN as stored (IAM ARNs are
 * case-sensitive in their resource part; role names are unique ignoring case, so a role has one
 * spelling).
 *
 * <p>Implementations are thread-safe and answer from memory.
 */
public interface PermissionView {

    /** The role's current state, if the role exists. */
    Optional<RoleState> role(String roleArn);

    /**
     * The managed policy's current default document: a customer-managed policy from the topic or
     * an AWS-managed one from the catalogue.
     */
    Optional<ManagedPolicyState> managedPolicy(String policyArn);

    /**
     * What a session of the role may do, before its session policy: the role's inline and attached
     * policies (parsed once per revision and cached) and its permissions boundary. Empty if the role
     * does not exist (a session of a deleted role may do nothing).
     */
    Optional<EffectivePermissions> permissionsOf(String roleArn);

    /** Whether the view has read the topic to the end offsets it found when it started. */
    boolean caughtUp();
}
