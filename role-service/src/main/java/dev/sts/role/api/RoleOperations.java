package dev.sts.role.api;

import dev.sts.proto.v1.*;
import dev.sts.role.domain.Call;
import dev.sts.role.domain.PolicyManager;
import dev.sts.role.domain.PolicySimulation;
import dev.sts.role.domain.RoleManager;
import dev.sts.role.domain.RolePolicyManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every RoleService operation for an established caller: the {@code sts.v1} request translated to
 * the use case, its answer translated back. Both protocols call these methods, the gRPC service
 * ({@link RoleGrpcService}) and the IAM Query API ({@link dev.sts.role.api.iam.IamQueryEndpoint}),
 * so a rule (validation, authorization, audit) exists once whichever protocol a caller speaks.
 * Methods may throw {@link dev.sts.kit.error.StsException} before returning: callers subscribe
 * lazily ({@code Uni.createFrom().deferred}).
 */
@ApplicationScoped
public class RoleOperations {
    private final RoleManager roles;
    private final RolePolicyManager rolePolicies;
    private final PolicyManager policies;
    private final PolicySimulation simulation;

    public RoleOperations(RoleManager roles, RolePolicyManager rolePolicies, PolicyManager policies,
            PolicySimulation simulation) {
        this.roles = roles;
        this.rolePolicies = rolePolicies;
        this.policies = policies;
        this.simulation = simulation;
    }

    public Uni<SimulatePrincipalPolicyResponse> simulatePrincipalPolicy(Call call, SimulatePrincipalPolicyRequest request) {
        return simulation.simulate(call, request.getPolicySourceArn(), SimulationMapping.request(request))
                .map(SimulationMapping::response);
    }

    public Uni<CreateRoleResponse> createRole(Call call, CreateRoleRequest request) {
        return roles.create(call, new RoleManager.CreateRole(request.getRoleName(), request.getPath(),
                request.getAssumeRolePolicyDocument(), request.getDescription(), request.getMaxSessionDuration(),
                request.getPermissionsBoundary(), ProtoMapping.tags(request.getTagsList())))
                .map(role -> CreateRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    public Uni<GetRoleResponse> getRole(Call call, GetRoleRequest request) {
        return roles.get(call, request.getRoleName())
                .map(role -> GetRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    public Uni<ListRolesResponse> listRoles(Call call, ListRolesRequest request) {
        return roles.list(call, request.getPathPrefix(), request.getPageSize(), request.getPageToken())
                .map(page -> ListRolesResponse.newBuilder()
                        .addAllRoles(page.items().stream().map(ProtoMapping::role).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    public Uni<UpdateRoleResponse> updateRole(Call call, UpdateRoleRequest request) {
        Optional<String> description = request.hasDescription() ? Optional.of(request.getDescription()) : Optional.empty();
        OptionalInt maxSession = request.hasMaxSessionDuration() ? OptionalInt.of(request.getMaxSessionDuration())
                : OptionalInt.empty();
        return roles.update(call, request.getRoleName(), description, maxSession)
                .map(role -> UpdateRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    public Uni<DeleteRoleResponse> deleteRole(Call call, DeleteRoleRequest request) {
        return roles.delete(call, request.getRoleName()).replaceWith(DeleteRoleResponse.getDefaultInstance());
    }

    public Uni<UpdateAssumeRolePolicyResponse> updateAssumeRolePolicy(Call call, UpdateAssumeRolePolicyRequest request) {
        return roles.updateTrustPolicy(call, request.getRoleName(), request.getPolicyDocument())
                .replaceWith(UpdateAssumeRolePolicyResponse.getDefaultInstance());
    }

    public Uni<TagRoleResponse> tagRole(Call call, TagRoleRequest request) {
        return roles.tag(call, request.getRoleName(), ProtoMapping.tags(request.getTagsList()))
                .replaceWith(TagRoleResponse.getDefaultInstance());
    }

    public Uni<UntagRoleResponse> untagRole(Call call, UntagRoleRequest request) {
        return roles.untag(call, request.getRoleName(), request.getTagKeysList())
                .replaceWith(UntagRoleResponse.getDefaultInstance());
    }

    public Uni<PutRolePolicyResponse> putRolePolicy(Call call, PutRolePolicyRequest request) {
        return rolePolicies.putInline(call, request.getRoleName(), request.getPolicyName(),
                request.getPolicyDocument()).replaceWith(PutRolePolicyResponse.getDefaultInstance());
    }

    public Uni<GetRolePolicyResponse> getRolePolicy(Call call, GetRolePolicyRequest request) {
        return rolePolicies.getInline(call, request.getRoleName(), request.getPolicyName())
                .map(p -> GetRolePolicyResponse.newBuilder().setRoleName(p.roleName()).setPolicyName(p.policyName())
                        .setPolicyDocument(p.document()).build());
    }

    public Uni<DeleteRolePolicyResponse> deleteRolePolicy(Call call, DeleteRolePolicyRequest request) {
        return rolePolicies.deleteInline(call, request.getRoleName(), request.getPolicyName())
                .replaceWith(DeleteRolePolicyResponse.getDefaultInstance());
    }

    public Uni<ListRolePoliciesResponse> listRolePolicies(Call call, ListRolePoliciesRequest request) {
        return rolePolicies.listInline(call, request.getRoleName(), request.getPageSize(), request.getPageToken())
                .map(page -> ListRolePoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    public Uni<AttachRolePolicyResponse> attachRolePolicy(Call call, AttachRolePolicyRequest request) {
        return rolePolicies.attach(call, request.getRoleName(), request.getPolicyArn())
                .replaceWith(AttachRolePolicyResponse.getDefaultInstance());
    }

    public Uni<DetachRolePolicyResponse> detachRolePolicy(Call call, DetachRolePolicyRequest request) {
        return rolePolicies.detach(call, request.getRoleName(), request.getPolicyArn())
                .replaceWith(DetachRolePolicyResponse.getDefaultInstance());
    }

    public Uni<ListAttachedRolePoliciesResponse> listAttachedRolePolicies(Call call, ListAttachedRolePoliciesRequest request) {
        return rolePolicies.listAttached(call, request.getRoleName(), request.getPathPrefix(),
                request.getPageSize(), request.getPageToken())
                .map(page -> ListAttachedRolePoliciesResponse.newBuilder()
                        .addAllAttachedPolicies(page.items().stream().map(ProtoMapping::attached).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    public Uni<PutRolePermissionsBoundaryResponse> putRolePermissionsBoundary(Call call, PutRolePermissionsBoundaryRequest request) {
        return rolePolicies.putBoundary(call, request.getRoleName(), request.getPermissionsBoundary())
                .replaceWith(PutRolePermissionsBoundaryResponse.getDefaultInstance());
    }

    public Uni<DeleteRolePermissionsBoundaryResponse> deleteRolePermissionsBoundary(Call call, DeleteRolePermissionsBoundaryRequest request) {
        return rolePolicies.deleteBoundary(call, request.getRoleName())
                .replaceWith(DeleteRolePermissionsBoundaryResponse.getDefaultInstance());
    }

    public Uni<CreatePolicyResponse> createPolicy(Call call, CreatePolicyRequest request) {
        return policies.create(call, new PolicyManager.CreatePolicy(request.getPolicyName(), request.getPath(),
                request.getPolicyDocument(), request.getDescription(), ProtoMapping.tags(request.getTagsList())))
                .map(p -> CreatePolicyResponse.newBuilder().setPolicy(ProtoMapping.policy(p)).build());
    }

    public Uni<GetPolicyResponse> getPolicy(Call call, GetPolicyRequest request) {
        return policies.get(call, request.getPolicyArn())
                .map(p -> GetPolicyResponse.newBuilder().setPolicy(ProtoMapping.policy(p)).build());
    }

    public Uni<ListPoliciesResponse> listPolicies(Call call, ListPoliciesRequest request) {
        return policies.list(call, ProtoMapping.scope(request.getScope()), request.getPathPrefix(),
                request.getOnlyAttached(), request.getPageSize(), request.getPageToken())
                .map(page -> ListPoliciesResponse.newBuilder()
                        .addAllPolicies(page.items().stream().map(ProtoMapping::policy).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    public Uni<DeletePolicyResponse> deletePolicy(Call call, DeletePolicyRequest request) {
        return policies.delete(call, request.getPolicyArn()).replaceWith(DeletePolicyResponse.getDefaultInstance());
    }

    public Uni<CreatePolicyVersionResponse> createPolicyVersion(Call call, CreatePolicyVersionRequest request) {
        return policies.createVersion(call, request.getPolicyArn(), request.getPolicyDocument(),
                request.getSetAsDefault())
                .map(v -> CreatePolicyVersionResponse.newBuilder()
                        .setPolicyVersion(ProtoMapping.version(v, request.getSetAsDefault() ? v.number() : -1, false))
                        .build());
    }

    public Uni<GetPolicyVersionResponse> getPolicyVersion(Call call, GetPolicyVersionRequest request) {
        return policies.getVersion(call, request.getPolicyArn(), request.getVersionId())
                .map(v -> GetPolicyVersionResponse.newBuilder()
                        .setPolicyVersion(ProtoMapping.version(v.version(), v.defaultVersion(), true)).build());
    }

    public Uni<ListPolicyVersionsResponse> listPolicyVersions(Call call, ListPolicyVersionsRequest request) {
        return policies.listVersions(call, request.getPolicyArn(), request.getPageSize(), request.getPageToken())
                .map(page -> ListPolicyVersionsResponse.newBuilder()
                        .addAllVersions(page.items().stream()
                                .map(v -> ProtoMapping.version(v.version(), v.defaultVersion(), false)).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    public Uni<SetDefaultPolicyVersionResponse> setDefaultPolicyVersion(Call call, SetDefaultPolicyVersionRequest request) {
        return policies.setDefaultVersion(call, request.getPolicyArn(), request.getVersionId())
                .replaceWith(SetDefaultPolicyVersionResponse.getDefaultInstance());
    }

    public Uni<DeletePolicyVersionResponse> deletePolicyVersion(Call call, DeletePolicyVersionRequest request) {
        return policies.deleteVersion(call, request.getPolicyArn(), request.getVersionId())
                .replaceWith(DeletePolicyVersionResponse.getDefaultInstance());
    }
}
