package dev.sts.role.api;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.proto.v1.*;
import dev.sts.role.domain.Call;
import dev.sts.role.domain.PolicyManager;
import dev.sts.role.domain.PolicySimulation;
import dev.sts.role.domain.RoleManager;
import dev.sts.role.domain.RolePolicyManager;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/** gRPC facade of role-service: authenticates, translates, delegates. */
@GrpcService
public class RoleGrpcService extends MutinyRoleServiceGrpc.RoleServiceImplBase {
    private final Authenticator authenticator;
    private final RoleManager roles;
    private final RolePolicyManager rolePolicies;
    private final PolicyManager policies;
    private final PolicySimulation simulation;

    public RoleGrpcService(Authenticator authenticator, RoleManager roles, RolePolicyManager rolePolicies,
            PolicyManager policies, PolicySimulation simulation) {
        this.authenticator = authenticator;
        this.roles = roles;
        this.rolePolicies = rolePolicies;
        this.policies = policies;
        this.simulation = simulation;
    }

    @Override
    public Uni<SimulatePrincipalPolicyResponse> simulatePrincipalPolicy(SimulatePrincipalPolicyRequest request) {
        return call(c -> simulation.simulate(c, request.getPolicySourceArn(), SimulationMapping.request(request)))
                .map(SimulationMapping::response);
    }

    /**
     * Runs a use case for the caller of this gRPC call: the caller is established from the call's
     * metadata when the answer is subscribed to, on the call's thread, before anything else.
     */
    private <T> Uni<T> call(Function<Call, Uni<T>> useCase) {
        return Uni.createFrom().deferred(() -> {
            RequestContext ctx = RequestContext.current();
            return useCase.apply(new Call(authenticator.authenticate(ctx.bearer()), ctx));
        });
    }

    @Override
    public Uni<CreateRoleResponse> createRole(CreateRoleRequest request) {
        return call(c -> roles.create(c, new RoleManager.CreateRole(request.getRoleName(), request.getPath(),
                request.getAssumeRolePolicyDocument(), request.getDescription(), request.getMaxSessionDuration(),
                request.getPermissionsBoundary(), ProtoMapping.tags(request.getTagsList()))))
                .map(role -> CreateRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    @Override
    public Uni<GetRoleResponse> getRole(GetRoleRequest request) {
        return call(c -> roles.get(c, request.getRoleName()))
                .map(role -> GetRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    @Override
    public Uni<ListRolesResponse> listRoles(ListRolesRequest request) {
        return call(c -> roles.list(c, request.getPathPrefix(), request.getPageSize(), request.getPageToken()))
                .map(page -> ListRolesResponse.newBuilder()
                        .addAllRoles(page.items().stream().map(ProtoMapping::role).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public Uni<UpdateRoleResponse> updateRole(UpdateRoleRequest request) {
        Optional<String> description = request.hasDescription() ? Optional.of(request.getDescription()) : Optional.empty();
        OptionalInt maxSession = request.hasMaxSessionDuration() ? OptionalInt.of(request.getMaxSessionDuration())
                : OptionalInt.empty();
        return call(c -> roles.update(c, request.getRoleName(), description, maxSession))
                .map(role -> UpdateRoleResponse.newBuilder().setRole(ProtoMapping.role(role)).build());
    }

    @Override
    public Uni<DeleteRoleResponse> deleteRole(DeleteRoleRequest request) {
        return call(c -> roles.delete(c, request.getRoleName())).replaceWith(DeleteRoleResponse.getDefaultInstance());
    }

    @Override
    public Uni<UpdateAssumeRolePolicyResponse> updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest request) {
        return call(c -> roles.updateTrustPolicy(c, request.getRoleName(), request.getPolicyDocument()))
                .replaceWith(UpdateAssumeRolePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<TagRoleResponse> tagRole(TagRoleRequest request) {
        return call(c -> roles.tag(c, request.getRoleName(), ProtoMapping.tags(request.getTagsList())))
                .replaceWith(TagRoleResponse.getDefaultInstance());
    }

    @Override
    public Uni<UntagRoleResponse> untagRole(UntagRoleRequest request) {
        return call(c -> roles.untag(c, request.getRoleName(), request.getTagKeysList()))
                .replaceWith(UntagRoleResponse.getDefaultInstance());
    }

    @Override
    public Uni<PutRolePolicyResponse> putRolePolicy(PutRolePolicyRequest request) {
        return call(c -> rolePolicies.putInline(c, request.getRoleName(), request.getPolicyName(),
                request.getPolicyDocument())).replaceWith(PutRolePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<GetRolePolicyResponse> getRolePolicy(GetRolePolicyRequest request) {
        return call(c -> rolePolicies.getInline(c, request.getRoleName(), request.getPolicyName()))
                .map(p -> GetRolePolicyResponse.newBuilder().setRoleName(p.roleName()).setPolicyName(p.policyName())
                        .setPolicyDocument(p.document()).build());
    }

    @Override
    public Uni<DeleteRolePolicyResponse> deleteRolePolicy(DeleteRolePolicyRequest request) {
        return call(c -> rolePolicies.deleteInline(c, request.getRoleName(), request.getPolicyName()))
                .replaceWith(DeleteRolePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<ListRolePoliciesResponse> listRolePolicies(ListRolePoliciesRequest request) {
        return call(c -> rolePolicies.listInline(c, request.getRoleName(), request.getPageSize(), request.getPageToken()))
                .map(page -> ListRolePoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public Uni<AttachRolePolicyResponse> attachRolePolicy(AttachRolePolicyRequest request) {
        return call(c -> rolePolicies.attach(c, request.getRoleName(), request.getPolicyArn()))
                .replaceWith(AttachRolePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<DetachRolePolicyResponse> detachRolePolicy(DetachRolePolicyRequest request) {
        return call(c -> rolePolicies.detach(c, request.getRoleName(), request.getPolicyArn()))
                .replaceWith(DetachRolePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<ListAttachedRolePoliciesResponse> listAttachedRolePolicies(ListAttachedRolePoliciesRequest request) {
        return call(c -> rolePolicies.listAttached(c, request.getRoleName(), request.getPathPrefix(),
                request.getPageSize(), request.getPageToken()))
                .map(page -> ListAttachedRolePoliciesResponse.newBuilder()
                        .addAllAttachedPolicies(page.items().stream().map(ProtoMapping::attached).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public Uni<PutRolePermissionsBoundaryResponse> putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest request) {
        return call(c -> rolePolicies.putBoundary(c, request.getRoleName(), request.getPermissionsBoundary()))
                .replaceWith(PutRolePermissionsBoundaryResponse.getDefaultInstance());
    }

    @Override
    public Uni<DeleteRolePermissionsBoundaryResponse> deleteRolePermissionsBoundary(
            DeleteRolePermissionsBoundaryRequest request) {
        return call(c -> rolePolicies.deleteBoundary(c, request.getRoleName()))
                .replaceWith(DeleteRolePermissionsBoundaryResponse.getDefaultInstance());
    }

    @Override
    public Uni<CreatePolicyResponse> createPolicy(CreatePolicyRequest request) {
        return call(c -> policies.create(c, new PolicyManager.CreatePolicy(request.getPolicyName(), request.getPath(),
                request.getPolicyDocument(), request.getDescription(), ProtoMapping.tags(request.getTagsList()))))
                .map(p -> CreatePolicyResponse.newBuilder().setPolicy(ProtoMapping.policy(p)).build());
    }

    @Override
    public Uni<GetPolicyResponse> getPolicy(GetPolicyRequest request) {
        return call(c -> policies.get(c, request.getPolicyArn()))
                .map(p -> GetPolicyResponse.newBuilder().setPolicy(ProtoMapping.policy(p)).build());
    }

    @Override
    public Uni<ListPoliciesResponse> listPolicies(ListPoliciesRequest request) {
        return call(c -> policies.list(c, ProtoMapping.scope(request.getScope()), request.getPathPrefix(),
                request.getOnlyAttached(), request.getPageSize(), request.getPageToken()))
                .map(page -> ListPoliciesResponse.newBuilder()
                        .addAllPolicies(page.items().stream().map(ProtoMapping::policy).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public Uni<DeletePolicyResponse> deletePolicy(DeletePolicyRequest request) {
        return call(c -> policies.delete(c, request.getPolicyArn())).replaceWith(DeletePolicyResponse.getDefaultInstance());
    }

    @Override
    public Uni<CreatePolicyVersionResponse> createPolicyVersion(CreatePolicyVersionRequest request) {
        return call(c -> policies.createVersion(c, request.getPolicyArn(), request.getPolicyDocument(),
                request.getSetAsDefault()))
                .map(v -> CreatePolicyVersionResponse.newBuilder()
                        .setPolicyVersion(ProtoMapping.version(v, request.getSetAsDefault() ? v.number() : -1, false))
                        .build());
    }

    @Override
    public Uni<GetPolicyVersionResponse> getPolicyVersion(GetPolicyVersionRequest request) {
        return call(c -> policies.getVersion(c, request.getPolicyArn(), request.getVersionId()))
                .map(v -> GetPolicyVersionResponse.newBuilder()
                        .setPolicyVersion(ProtoMapping.version(v.version(), v.defaultVersion(), true)).build());
    }

    @Override
    public Uni<ListPolicyVersionsResponse> listPolicyVersions(ListPolicyVersionsRequest request) {
        return call(c -> policies.listVersions(c, request.getPolicyArn(), request.getPageSize(), request.getPageToken()))
                .map(page -> ListPolicyVersionsResponse.newBuilder()
                        .addAllVersions(page.items().stream()
                                .map(v -> ProtoMapping.version(v.version(), v.defaultVersion(), false)).toList())
                        .setNextPageToken(page.nextPageToken()).build());
    }

    @Override
    public Uni<SetDefaultPolicyVersionResponse> setDefaultPolicyVersion(SetDefaultPolicyVersionRequest request) {
        return call(c -> policies.setDefaultVersion(c, request.getPolicyArn(), request.getVersionId()))
                .replaceWith(SetDefaultPolicyVersionResponse.getDefaultInstance());
    }

    @Override
    public Uni<DeletePolicyVersionResponse> deletePolicyVersion(DeletePolicyVersionRequest request) {
        return call(c -> policies.deleteVersion(c, request.getPolicyArn(), request.getVersionId()))
                .replaceWith(DeletePolicyVersionResponse.getDefaultInstance());
    }
}
