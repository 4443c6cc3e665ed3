package dev.sts.role.api;

import com.google.protobuf.Timestamp;
import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.proto.v1.AttachedPermissionsBoundary;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.CreateRoleResponse;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.GetRoleResponse;
import dev.sts.proto.v1.MutinyRoleServiceGrpc;
import dev.sts.proto.v1.Tag;
import dev.sts.role.domain.Role;
import dev.sts.role.domain.RoleManager;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC facade of role-service: authenticates, translates, delegates. RPCs not overridden here
 * answer UNIMPLEMENTED until their issue lands.
 */
@GrpcService
public class RoleGrpcService extends MutinyRoleServiceGrpc.RoleServiceImplBase {
    private final Authenticator authenticator;
    private final RoleManager roles;

    public RoleGrpcService(Authenticator authenticator, RoleManager roles) {
        this.authenticator = authenticator;
        this.roles = roles;
    }

    @Override
    public Uni<CreateRoleResponse> createRole(CreateRoleRequest request) {
        return Uni.createFrom().deferred(() -> {
            RequestContext ctx = RequestContext.current();
            CallerIdentity caller = authenticator.authenticate(ctx.bearer());
            var cmd = new RoleManager.CreateRole(request.getRoleName(), request.getPath(),
                    request.getAssumeRolePolicyDocument(), request.getDescription(), request.getMaxSessionDuration(),
                    request.getPermissionsBoundary(),
                    request.getTagsList().stream().map(t -> new Role.Tag(t.getKey(), t.getValue())).toList());
            return roles.create(caller, ctx, cmd);
        }).map(role -> CreateRoleResponse.newBuilder().setRole(toProto(role)).build());
    }

    @Override
    public Uni<GetRoleResponse> getRole(GetRoleRequest request) {
        return Uni.createFrom().deferred(() -> roles.get(authenticator.authenticate(), request.getRoleName()))
                .map(role -> GetRoleResponse.newBuilder().setRole(toProto(role)).build());
    }

    static dev.sts.proto.v1.Role toProto(Role r) {
        dev.sts.proto.v1.Role.Builder b = dev.sts.proto.v1.Role.newBuilder()
                .setRoleName(r.roleName())
                .setRoleId(r.roleId())
                .setArn(r.arn())
                .setPath(r.path())
                .setCreateDate(Timestamp.newBuilder().setSeconds(r.createdAt().getEpochSecond()).setNanos(r.createdAt().getNano()))
                .setAssumeRolePolicyDocument(r.trustPolicy())
                .setDescription(r.description())
                .setMaxSessionDuration(r.maxSessionDuration())
                .setRevision(r.revision());
        if (r.permissionsBoundary() != null) {
            b.setPermissionsBoundary(AttachedPermissionsBoundary.newBuilder()
                    .setPermissionsBoundaryType("Policy").setPermissionsBoundaryArn(r.permissionsBoundary()));
        }
        r.tags().forEach(t -> b.addTags(Tag.newBuilder().setKey(t.key()).setValue(t.value() == null ? "" : t.value())));
        return b.build();
    }
}
