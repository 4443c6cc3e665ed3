package dev.sts.token.api;

import dev.sts.kit.error.StsException;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.MutinyRoleServiceGrpc;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.domain.RoleDirectory;
import dev.sts.token.domain.RoleView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/** Reads roles from role-service with token-service's own credential. */
@ApplicationScoped
public class GrpcRoleDirectory implements RoleDirectory {
    private final MutinyRoleServiceGrpc.MutinyRoleServiceStub roles;

    public GrpcRoleDirectory(@GrpcClient("roles") MutinyRoleServiceGrpc.MutinyRoleServiceStub roles, TokenConfig config) {
        this.roles = config.roleServiceCredential()
                .map(token -> roles.withCallCredentials(new BearerCredentials(token)))
                .orElse(roles);
    }

    @Override
    public Uni<Optional<RoleView>> find(String roleName) {
        return roles.getRole(GetRoleRequest.newBuilder().setRoleName(roleName).build())
                .ifNoItem().after(Duration.ofSeconds(5)).failWith(() -> Status.DEADLINE_EXCEEDED.asRuntimeException())
                .map(r -> Optional.of(new RoleView(r.getRole().getArn(), r.getRole().getRoleId(), r.getRole().getRoleName(),
                        dev.sts.kit.arn.Arns.accountOf(r.getRole().getArn()), r.getRole().getAssumeRolePolicyDocument(),
                        r.getRole().getMaxSessionDuration())))
                .onFailure(GrpcRoleDirectory::notFound).recoverWithItem(Optional.empty())
                .onFailure(e -> !(e instanceof StsException))
                .transform(e -> StsException.unavailable("role-service is unavailable", e));
    }

    private static boolean notFound(Throwable t) {
        return t instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
}
