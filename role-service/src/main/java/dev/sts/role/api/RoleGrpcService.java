package dev.sts.role.api;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.proto.v1.*;
import dev.sts.role.domain.Call;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.function.Function;

/** gRPC facade of role-service: authenticates the caller from the call's metadata, then {@link RoleOperations}. */
@GrpcService
public class RoleGrpcService extends MutinyRoleServiceGrpc.RoleServiceImplBase {
    private final Authenticator authenticator;
    private final RoleOperations operations;

    public RoleGrpcService(Authenticator authenticator, RoleOperations operations) {
        this.authenticator = authenticator;
        this.operations = operations;
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
    public Uni<SimulatePrincipalPolicyResponse> simulatePrincipalPolicy(SimulatePrincipalPolicyRequest request) {
        return call(c -> operations.simulatePrincipalPolicy(c, request));
    }

    @Override
    public Uni<CreateRoleResponse> createRole(CreateRoleRequest request) {
        return call(c -> operations.createRole(c, request));
    }

    @Override
    public Uni<GetRoleResponse> getRole(GetRoleRequest request) {
        return call(c -> operations.getRole(c, request));
    }

    @Override
    public Uni<ListRolesResponse> listRoles(ListRolesRequest request) {
        return call(c -> operations.listRoles(c, request));
    }

    @Override
    public Uni<UpdateRoleResponse> updateRole(UpdateRoleRequest request) {
        return call(c -> operations.updateRole(c, request));
    }

    @Override
    public Uni<DeleteRoleResponse> deleteRole(DeleteRoleRequest request) {
        return call(c -> operations.deleteRole(c, request));
    }

    @Override
    public Uni<UpdateAssumeRolePolicyResponse> updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest request) {
        return call(c -> operations.updateAssumeRolePolicy(c, request));
    }

    @Override
    public Uni<TagRoleResponse> tagRole(TagRoleRequest request) {
        return call(c -> operations.tagRole(c, request));
    }

    @Override
    public Uni<UntagRoleResponse> untagRole(UntagRoleRequest request) {
        return call(c -> operations.untagRole(c, request));
    }

    @Override
    public Uni<PutRolePolicyResponse> putRolePolicy(PutRolePolicyRequest request) {
        return call(c -> operations.putRolePolicy(c, request));
    }

    @Override
    public Uni<GetRolePolicyResponse> getRolePolicy(GetRolePolicyRequest request) {
        return call(c -> operations.getRolePolicy(c, request));
    }

    @Override
    public Uni<DeleteRolePolicyResponse> deleteRolePolicy(DeleteRolePolicyRequest request) {
        return call(c -> operations.deleteRolePolicy(c, request));
    }

    @Override
    public Uni<ListRolePoliciesResponse> listRolePolicies(ListRolePoliciesRequest request) {
        return call(c -> operations.listRolePolicies(c, request));
    }

    @Override
    public Uni<AttachRolePolicyResponse> attachRolePolicy(AttachRolePolicyRequest request) {
        return call(c -> operations.attachRolePolicy(c, request));
    }

    @Override
    public Uni<DetachRolePolicyResponse> detachRolePolicy(DetachRolePolicyRequest request) {
        return call(c -> operations.detachRolePolicy(c, request));
    }

    @Override
    public Uni<ListAttachedRolePoliciesResponse> listAttachedRolePolicies(ListAttachedRolePoliciesRequest request) {
        return call(c -> operations.listAttachedRolePolicies(c, request));
    }

    @Override
    public Uni<PutRolePermissionsBoundaryResponse> putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest request) {
        return call(c -> operations.putRolePermissionsBoundary(c, request));
    }

    @Override
    public Uni<DeleteRolePermissionsBoundaryResponse> deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest request) {
        return call(c -> operations.deleteRolePermissionsBoundary(c, request));
    }

    @Override
    public Uni<CreatePolicyResponse> createPolicy(CreatePolicyRequest request) {
        return call(c -> operations.createPolicy(c, request));
    }

    @Override
    public Uni<GetPolicyResponse> getPolicy(GetPolicyRequest request) {
        return call(c -> operations.getPolicy(c, request));
    }

    @Override
    public Uni<ListPoliciesResponse> listPolicies(ListPoliciesRequest request) {
        return call(c -> operations.listPolicies(c, request));
    }

    @Override
    public Uni<DeletePolicyResponse> deletePolicy(DeletePolicyRequest request) {
        return call(c -> operations.deletePolicy(c, request));
    }

    @Override
    public Uni<CreatePolicyVersionResponse> createPolicyVersion(CreatePolicyVersionRequest request) {
        return call(c -> operations.createPolicyVersion(c, request));
    }

    @Override
    public Uni<GetPolicyVersionResponse> getPolicyVersion(GetPolicyVersionRequest request) {
        return call(c -> operations.getPolicyVersion(c, request));
    }

    @Override
    public Uni<ListPolicyVersionsResponse> listPolicyVersions(ListPolicyVersionsRequest request) {
        return call(c -> operations.listPolicyVersions(c, request));
    }

    @Override
    public Uni<SetDefaultPolicyVersionResponse> setDefaultPolicyVersion(SetDefaultPolicyVersionRequest request) {
        return call(c -> operations.setDefaultPolicyVersion(c, request));
    }

    @Override
    public Uni<DeletePolicyVersionResponse> deletePolicyVersion(DeletePolicyVersionRequest request) {
        return call(c -> operations.deletePolicyVersion(c, request));
    }
}
