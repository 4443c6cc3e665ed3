package dev.sts.kit.iam;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.deny;
import static dev.sts.kit.iam.RoleStates.inline;
import static dev.sts.kit.iam.RoleStates.policy;
import static dev.sts.kit.iam.RoleStates.policyArn;
import static dev.sts.kit.iam.RoleStates.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.iam.PermissionState.Result;
import dev.sts.policy.Policy;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import org.junit.jupiter.api.Test;

/** How records of sts.permission-state.v1 become roles, policies and effective permissions. */
class PermissionStateTest {
    final PermissionState state = new PermissionState();

    static byte[] value(RoleState r) {
        return StsEvent.newBuilder().setRoleState(r).build().toByteArray();
    }

    static byte[] value(ManagedPolicyState p) {
        return StsEvent.newBuilder().setManagedPolicyState(p).build().toByteArray();
    }

    Result put(RoleState r) {
        return state.apply(r.getArn(), value(r));
    }

    Result put(ManagedPolicyState p) {
        return state.apply(p.getArn(), value(p));
    }

    static java.util.List<String> names(EffectivePermissions p) {
        return p.identityPolicies().stream().map(Policy::name).toList();
    }

    @Test
    void aRoleBringsItsInlineAndAttachedPoliciesAndItsBoundary() {
        assertThat(put(policy("Reads", 1, allow("s3:Get*", "*")))).isEqualTo(Result.APPLIED);
        assertThat(put(policy("Bound", 1, allow("s3:*", "*")))).isEqualTo(Result.APPLIED);
        RoleState r = role("App").setRevision(4).addInlinePolicies(inline("Own", allow("sqs:*", "*")))
                .addAttachedPolicyArns(policyArn("Reads")).addAttachedPolicyArns("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .setPermissionsBoundaryArn(policyArn("Bound")).build();
        assertThat(put(r)).isEqualTo(Result.APPLIED);

        EffectivePermissions p = state.permissionsOf(r.getArn()).orElseThrow();
        assertThat(p.roleArn()).isEqualTo(r.getArn());
        assertThat(p.revision()).isEqualTo(4);
        assertThat(names(p)).containsExactly("Own", policyArn("Reads"), "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(p.boundary()).get().extracting(Policy::name).isEqualTo(policyArn("Bound"));
        assertThat(state.role(r.getArn())).contains(r);
        assertThat(state.roleCount()).isEqualTo(1);
        assertThat(state.policyCount()).isEqualTo(2);
    }

    @Test
    void aPolicyThatArrivesAfterTheRoleIsPickedUpAndItsChangesToo() {
        RoleState r = role("Late").addAttachedPolicyArns(policyArn("LatePolicy")).build();
        put(r);
        assertThat(names(state.permissionsOf(r.getArn()).orElseThrow())).isEmpty();

        put(policy("LatePolicy", 1, allow("s3:GetObject", "*")));
        Policy v1 = state.permissionsOf(r.getArn()).orElseThrow().identityPolicies().get(0);
        assertThat(v1.json()).contains("s3:GetObject");

        put(policy("LatePolicy", 2, allow("s3:PutObject", "*")));
        assertThat(state.permissionsOf(r.getArn()).orElseThrow().identityPolicies().get(0).json()).contains("s3:PutObject");

        // deleted: the attachment grants nothing
        state.apply(policyArn("LatePolicy"), null);
        assertThat(state.permissionsOf(r.getArn()).orElseThrow().identityPolicies()).isEmpty();
    }

    @Test
    void aManagedPolicyIsParsedOncePerRevisionForEveryRoleThatUsesIt() {
        put(policy("Shared", 3, allow("s3:GetObject", "*")));
        RoleState a = role("A").addAttachedPolicyArns(policyArn("Shared")).build();
        RoleState b = role("B").addAttachedPolicyArns(policyArn("Shared")).build();
        put(a);
        put(b);
        Policy forA = state.permissionsOf(a.getArn()).orElseThrow().identityPolicies().get(0);
        assertThat(state.permissionsOf(b.getArn()).orElseThrow().identityPolicies().get(0)).isSameAs(forA);
        // a change of the role alone keeps the parsed policy
        put(a.toBuilder().setRevision(2).build());
        assertThat(state.permissionsOf(a.getArn()).orElseThrow().identityPolicies().get(0)).isSameAs(forA);
    }

    @Test
    void aBoundaryThatIsNotInTheViewAllowsNothingRatherThanNothingBeingABoundary() {
        RoleState r = role("Bounded").addInlinePolicies(inline("All", allow("*", "*")))
                .setPermissionsBoundaryArn(policyArn("Missing")).build();
        put(r);
        Policy boundary = state.permissionsOf(r.getArn()).orElseThrow().boundary().orElseThrow();
        assertThat(boundary.statements()).isEmpty();
        assertThat(boundary.name()).isEqualTo(policyArn("Missing"));
    }

    @Test
    void aRoleWithADocumentThatDoesNotParseMayDoNothing() {
        RoleState r = role("Broken").addInlinePolicies(inline("Deny", "{\"Statement\":[{\"Effect\":\"Deny\"}]}"))
                .addInlinePolicies(inline("Allow", allow("*", "*"))).build();
        assertThat(put(r)).isEqualTo(Result.APPLIED);
        assertThat(state.role(r.getArn())).isPresent();
        assertThat(state.permissionsOf(r.getArn())).isEmpty();
        assertThat(state.unusableRoleCount()).isEqualTo(1);

        put(r.toBuilder().clearInlinePolicies().addInlinePolicies(inline("Allow", allow("*", "*"))).setRevision(2).build());
        assertThat(state.permissionsOf(r.getArn())).isPresent();
        assertThat(state.unusableRoleCount()).isZero();
    }

    @Test
    void aTombstoneDeletesTheRole() {
        RoleState r = role("Gone").addInlinePolicies(inline("All", allow("*", "*"))).build();
        put(r);
        assertThat(state.apply(r.getArn(), null)).isEqualTo(Result.REMOVED);
        assertThat(state.role(r.getArn())).isEmpty();
        assertThat(state.permissionsOf(r.getArn())).isEmpty();
        // a tombstone for something the view never held changes nothing
        assertThat(state.apply(RoleStates.roleArn("Never"), null)).isEqualTo(Result.REMOVED);
    }

    @Test
    void theLatestRecordOfAKeyWins() {
        RoleState v1 = role("Changing").addInlinePolicies(inline("P", allow("s3:*", "*"))).build();
        put(v1);
        put(v1.toBuilder().setRevision(2).clearInlinePolicies().addInlinePolicies(inline("P", deny("s3:*", "*"))).build());
        EffectivePermissions p = state.permissionsOf(v1.getArn()).orElseThrow();
        assertThat(p.revision()).isEqualTo(2);
        assertThat(p.identityPolicies().get(0).json()).contains("Deny");
    }

    @Test
    void recordsThatCannotBeUsedAreRefusedAndChangeNothing() {
        RoleState r = role("Victim").addInlinePolicies(inline("P", allow("s3:GetObject", "*"))).build();
        put(r);
        RoleState forged = r.toBuilder().clearInlinePolicies().addInlinePolicies(inline("P", allow("*", "*"))).build();

        assertThat(state.apply(r.getArn(), new byte[] {(byte) 0xff, (byte) 0xff, 0x01})).isEqualTo(Result.UNDECODABLE);
        assertThat(state.apply(RoleStates.roleArn("Other"), value(forged))).isEqualTo(Result.MISMATCHED_KEY);
        assertThat(state.apply(null, value(forged))).isEqualTo(Result.MISMATCHED_KEY);
        assertThat(state.apply(r.getArn(), StsEvent.newBuilder().setRoleChanged(RoleChanged.newBuilder()
                .setResourceArn(r.getArn())).build().toByteArray())).isEqualTo(Result.UNEXPECTED);
        assertThat(state.role(r.getArn())).contains(r);
        assertThat(state.permissionsOf(r.getArn()).orElseThrow().identityPolicies().get(0).json())
                .isEqualTo(allow("s3:GetObject", "*"));
    }

    @Test
    void awsManagedPoliciesComeFromTheCatalogueNeverFromTheTopic() {
        ManagedPolicyState fake = ManagedPolicyState.newBuilder().setArn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .setPolicyName("ReadOnlyAccess").setRevision(999).setDefaultVersionId("v999")
                .setDefaultDocument(allow("*", "*")).build();
        assertThat(state.apply(fake.getArn(), value(fake))).isEqualTo(Result.UNEXPECTED);
        assertThat(state.managedPolicy(fake.getArn())).get()
                .extracting(ManagedPolicyState::getDefaultVersionId).isEqualTo("v188");
    }
}
