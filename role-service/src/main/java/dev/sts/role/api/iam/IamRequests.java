package dev.sts.role.api.iam;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.*;

/**
 * IAM Query parameters to the {@code sts.v1} request messages the gRPC API takes, parameter names
 * as the IAM API reference spells them (https://docs.aws.amazon.com/IAM/latest/APIReference/).
 * Translation only: every value is checked by the operation itself, as it is for a gRPC caller;
 * the only checks here are of the encoding (an integer that is not one, a list with a gap).
 */
final class IamRequests {
    private IamRequests() {
    }

    static CreateRoleRequest createRole(QueryParameters p) {
        CreateRoleRequest.Builder b = CreateRoleRequest.newBuilder()
                .setRoleName(p.string("RoleName"))
                .setPath(p.string("Path"))
                .setAssumeRolePolicyDocument(p.string("AssumeRolePolicyDocument"))
                .setDescription(p.string("Description"))
                .setMaxSessionDuration(p.integer("MaxSessionDuration"))
                .setPermissionsBoundary(p.string("PermissionsBoundary"));
        return b.addAllTags(tags(p)).build();
    }

    static GetRoleRequest getRole(QueryParameters p) {
        return GetRoleRequest.newBuilder().setRoleName(p.string("RoleName")).build();
    }

    static ListRolesRequest listRoles(QueryParameters p) {
        return ListRolesRequest.newBuilder().setPathPrefix(p.string("PathPrefix"))
                .setPageSize(p.integer("MaxItems")).setPageToken(p.string("Marker")).build();
    }

    /** UpdateRole changes only what is present, as over gRPC (proto3 {@code optional} fields). */
    static UpdateRoleRequest updateRole(QueryParameters p) {
        UpdateRoleRequest.Builder b = UpdateRoleRequest.newBuilder().setRoleName(p.string("RoleName"));
        p.optional("Description").ifPresent(b::setDescription);
        if (p.optional("MaxSessionDuration").isPresent()) {
            b.setMaxSessionDuration(p.integer("MaxSessionDuration"));
        }
        return b.build();
    }

    static DeleteRoleRequest deleteRole(QueryParameters p) {
        return DeleteRoleRequest.newBuilder().setRoleName(p.string("RoleName")).build();
    }

    static UpdateAssumeRolePolicyRequest updateAssumeRolePolicy(QueryParameters p) {
        return UpdateAssumeRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName"))
                .setPolicyDocument(p.string("PolicyDocument")).build();
    }

    static TagRoleRequest tagRole(QueryParameters p) {
        return TagRoleRequest.newBuilder().setRoleName(p.string("RoleName")).addAllTags(tags(p)).build();
    }

    static UntagRoleRequest untagRole(QueryParameters p) {
        return UntagRoleRequest.newBuilder().setRoleName(p.string("RoleName")).addAllTagKeys(p.list("TagKeys")).build();
    }

    static PutRolePolicyRequest putRolePolicy(QueryParameters p) {
        return PutRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName")).setPolicyName(p.string("PolicyName"))
                .setPolicyDocument(p.string("PolicyDocument")).build();
    }

    static GetRolePolicyRequest getRolePolicy(QueryParameters p) {
        return GetRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName")).setPolicyName(p.string("PolicyName"))
                .build();
    }

    static DeleteRolePolicyRequest deleteRolePolicy(QueryParameters p) {
        return DeleteRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName"))
                .setPolicyName(p.string("PolicyName")).build();
    }

    static ListRolePoliciesRequest listRolePolicies(QueryParameters p) {
        return ListRolePoliciesRequest.newBuilder().setRoleName(p.string("RoleName"))
                .setPageSize(p.integer("MaxItems")).setPageToken(p.string("Marker")).build();
    }

    static AttachRolePolicyRequest attachRolePolicy(QueryParameters p) {
        return AttachRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName")).setPolicyArn(p.string("PolicyArn"))
                .build();
    }

    static DetachRolePolicyRequest detachRolePolicy(QueryParameters p) {
        return DetachRolePolicyRequest.newBuilder().setRoleName(p.string("RoleName")).setPolicyArn(p.string("PolicyArn"))
                .build();
    }

    static ListAttachedRolePoliciesRequest listAttachedRolePolicies(QueryParameters p) {
        return ListAttachedRolePoliciesRequest.newBuilder().setRoleName(p.string("RoleName"))
                .setPathPrefix(p.string("PathPrefix")).setPageSize(p.integer("MaxItems"))
                .setPageToken(p.string("Marker")).build();
    }

    static PutRolePermissionsBoundaryRequest putRolePermissionsBoundary(QueryParameters p) {
        return PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(p.string("RoleName"))
                .setPermissionsBoundary(p.string("PermissionsBoundary")).build();
    }

    static DeleteRolePermissionsBoundaryRequest deleteRolePermissionsBoundary(QueryParameters p) {
        return DeleteRolePermissionsBoundaryRequest.newBuilder().setRoleName(p.string("RoleName")).build();
    }

    static CreatePolicyRequest createPolicy(QueryParameters p) {
        return CreatePolicyRequest.newBuilder().setPolicyName(p.string("PolicyName")).setPath(p.string("Path"))
                .setPolicyDocument(p.string("PolicyDocument")).setDescription(p.string("Description"))
                .addAllTags(tags(p)).build();
    }

    static GetPolicyRequest getPolicy(QueryParameters p) {
        return GetPolicyRequest.newBuilder().setPolicyArn(p.string("PolicyArn")).build();
    }

    /**
     * ListPolicies. {@code PolicyUsageFilter} is not among the parameters this service takes, so it
     * is refused (by {@link QueryParameters#requireAllRead}) rather than ignored: ignoring a filter
     * would answer with more policies than were asked for.
     */
    static ListPoliciesRequest listPolicies(QueryParameters p) {
        return ListPoliciesRequest.newBuilder().setScope(scope(p)).setOnlyAttached(p.bool("OnlyAttached"))
                .setPathPrefix(p.string("PathPrefix")).setPageSize(p.integer("MaxItems"))
                .setPageToken(p.string("Marker")).build();
    }

    static DeletePolicyRequest deletePolicy(QueryParameters p) {
        return DeletePolicyRequest.newBuilder().setPolicyArn(p.string("PolicyArn")).build();
    }

    static CreatePolicyVersionRequest createPolicyVersion(QueryParameters p) {
        return CreatePolicyVersionRequest.newBuilder().setPolicyArn(p.string("PolicyArn"))
                .setPolicyDocument(p.string("PolicyDocument")).setSetAsDefault(p.bool("SetAsDefault")).build();
    }

    static GetPolicyVersionRequest getPolicyVersion(QueryParameters p) {
        return GetPolicyVersionRequest.newBuilder().setPolicyArn(p.string("PolicyArn"))
                .setVersionId(p.string("VersionId")).build();
    }

    static ListPolicyVersionsRequest listPolicyVersions(QueryParameters p) {
        return ListPolicyVersionsRequest.newBuilder().setPolicyArn(p.string("PolicyArn"))
                .setPageSize(p.integer("MaxItems")).setPageToken(p.string("Marker")).build();
    }

    static SetDefaultPolicyVersionRequest setDefaultPolicyVersion(QueryParameters p) {
        return SetDefaultPolicyVersionRequest.newBuilder().setPolicyArn(p.string("PolicyArn"))
                .setVersionId(p.string("VersionId")).build();
    }

    static DeletePolicyVersionRequest deletePolicyVersion(QueryParameters p) {
        return DeletePolicyVersionRequest.newBuilder().setPolicyArn(p.string("PolicyArn"))
                .setVersionId(p.string("VersionId")).build();
    }

    /**
     * SimulatePrincipalPolicy. {@code ResourceHandlingOption} (EC2 scenarios) is not taken, and is
     * refused rather than ignored.
     */
    static SimulatePrincipalPolicyRequest simulatePrincipalPolicy(QueryParameters p) {
        SimulatePrincipalPolicyRequest.Builder b = SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn(p.string("PolicySourceArn"))
                .addAllPolicyInputList(p.list("PolicyInputList"))
                .addAllPermissionsBoundaryPolicyInputList(p.list("PermissionsBoundaryPolicyInputList"))
                .addAllActionNames(p.list("ActionNames"))
                .addAllResourceArns(p.list("ResourceArns"))
                .setResourcePolicy(p.string("ResourcePolicy"))
                .setResourceOwner(p.string("ResourceOwner"))
                .setCallerArn(p.string("CallerArn"))
                .setPageSize(p.integer("MaxItems"))
                .setPageToken(p.string("Marker"));
        for (QueryParameters entry : p.structures("ContextEntries")) {
            b.addContextEntries(ContextEntry.newBuilder().setKey(entry.string("ContextKeyName"))
                    .addAllValues(entry.list("ContextKeyValues")).setType(entry.string("ContextKeyType")));
        }
        return b.build();
    }

    /** {@code Tags.member.N.Key} / {@code Tags.member.N.Value}. */
    private static java.util.List<Tag> tags(QueryParameters p) {
        return p.structures("Tags").stream()
                .map(t -> Tag.newBuilder().setKey(t.string("Key")).setValue(t.string("Value")).build()).toList();
    }

    /** IAM's Scope: "All", "AWS" or "Local" (API_ListPolicies); "All" when absent. */
    private static PolicyScope scope(QueryParameters p) {
        return p.optional("Scope").map(s -> switch (s) {
            case "All" -> PolicyScope.POLICY_SCOPE_ALL;
            case "AWS" -> PolicyScope.POLICY_SCOPE_AWS;
            case "Local" -> PolicyScope.POLICY_SCOPE_LOCAL;
            default -> throw new StsException(ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value '"
                    + (s.length() > 20 ? s.substring(0, 20) + "..." : s)
                    + "' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
                    "Scope");
        }).orElse(PolicyScope.POLICY_SCOPE_ALL);
    }
}
