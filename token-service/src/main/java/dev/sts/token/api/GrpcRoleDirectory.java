package dev.sts.token.api;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.GrpcErrors;
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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads roles from role-service with token-service's own credential, within a deadline
 * ({@code sts.token.role-service-deadline}), keeping the real reason of a failure: a missing role
 * is "not found" (the caller then answers with the uniform denial); role-service's own
 * {@code ServiceUnavailable} (e.g. its database is down) stays that, with its message; no answer
 * within the deadline is {@code ServiceUnavailable} "role-service did not answer".
 */
@ApplicationScoped
public class GrpcRoleDirectory implements RoleDirectory {
    private static final Logger LOG = Logger.getLogger(GrpcRoleDirectory.class);
    private final MutinyRoleServiceGrpc.MutinyRoleServiceStub roles;
    private final Duration deadline;

    public GrpcRoleDirectory(@GrpcClient("roles") MutinyRoleServiceGrpc.MutinyRoleServiceStub roles, TokenConfig config) {
        this.roles = config.roleServiceCredential()
                .map(token -> roles.withCallCredentials(new BearerCredentials(token)))
                .orElse(roles);
        this.deadline = config.roleServiceDeadline();
    }

    @Override
    public Uni<Optional<RoleView>> find(String roleName) {
        return Uni.createFrom().deferred(() -> roles
                        // a gRPC deadline is absolute: set it per call
                        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .getRole(GetRoleRequest.newBuilder().setRoleName(roleName).build()))
                .map(r -> Optional.of(new RoleView(r.getRole().getArn(), r.getRole().getRoleId(), r.getRole().getRoleName(),
                        dev.sts.kit.arn.Arns.accountOf(r.getRole().getArn()), r.getRole().getAssumeRolePolicyDocument(),
                        r.getRole().getMaxSessionDuration())))
                .onFailure(GrpcRoleDirectory::notFound).recoverWithItem(Optional.empty())
                .onFailure().transform(this::failure);
    }

    private static boolean notFound(Throwable t) {
        return t instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.NOT_FOUND;
    }

    /** Maps a failed call to what AssumeRole answers; never the role-service's internals. */
    Throwable failure(Throwable t) {
        if (t instanceof StsException) {
            return t;
        }
        if (t instanceof StatusRuntimeException sre) {
            Status.Code code = sre.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED) {
                return StsException.unavailable("role-service did not answer within " + deadline.toMillis() + " ms", t);
            }
            if (code == Status.Code.UNAVAILABLE
                    && ErrorCode.SERVICE_UNAVAILABLE.awsCode().equals(GrpcErrors.reason(sre))) {
                // role-service answered, and said why: keep its reason
                return StsException.unavailable("role-service is unavailable: " + sre.getStatus().getDescription(), t);
            }
            if (code == Status.Code.UNAVAILABLE) {
                return StsException.unavailable("role-service cannot be reached", t);
            }
            LOG.warnf("role-service refused token-service's GetRole: %s %s", code, sre.getStatus().getDescription());
            return StsException.unavailable("role-service refused the request (" + code + ")", t);
        }
        LOG.warn("GetRole on role-service failed", t);
        return StsException.unavailable("role-service is unavailable", t);
    }
}
