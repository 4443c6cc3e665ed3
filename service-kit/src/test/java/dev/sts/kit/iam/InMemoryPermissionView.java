package dev.sts.kit.iam;

import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import java.util.Optional;

/**
 * A {@link PermissionView} for unit tests (shared through the kit's test-jar): the same state and
 * apply logic as {@link KafkaPermissionView}, fed by method calls instead of a topic.
 */
public final class InMemoryPermissionView implements PermissionView {
    private final PermissionState state = new PermissionState();
    private volatile boolean caughtUp = true;

    /** Stores the role's state, as a record on the topic would. */
    public InMemoryPermissionView put(RoleState role) {
        require(state.apply(role.getArn(), StsEvent.newBuilder().setRoleState(role).build().toByteArray()));
        return this;
    }

    /** Stores a customer-managed policy's state, as a record on the topic would. */
    public InMemoryPermissionView put(ManagedPolicyState policy) {
        require(state.apply(policy.getArn(), StsEvent.newBuilder().setManagedPolicyState(policy).build().toByteArray()));
        return this;
    }

    /** A tombstone for the ARN. */
    public InMemoryPermissionView delete(String arn) {
        state.apply(arn, null);
        return this;
    }

    public InMemoryPermissionView caughtUp(boolean value) {
        this.caughtUp = value;
        return this;
    }

    private static void require(PermissionState.Result r) {
        if (r != PermissionState.Result.APPLIED) {
            throw new IllegalArgumentException("not applied: " + r);
        }
    }

    @Override
    public Optional<RoleState> role(String roleArn) {
        return state.role(roleArn);
    }

    @Override
    public Optional<ManagedPolicyState> managedPolicy(String policyArn) {
        return state.managedPolicy(policyArn);
    }

    @Override
    public Optional<EffectivePermissions> permissionsOf(String roleArn) {
        return state.permissionsOf(roleArn);
    }

    @Override
    public boolean caughtUp() {
        return caughtUp;
    }
}
