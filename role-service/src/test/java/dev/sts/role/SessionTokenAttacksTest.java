package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.JwtAttacks;
import dev.sts.kit.testing.TestChannels;
import dev.sts.kit.testing.TestJwksResource;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * role-service's authentication refuses every token of the JWT attack catalogue with
 * UNAUTHENTICATED, verifying against a JWK set over HTTP as in production, and never fetches a key
 * a token names.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
@QuarkusTestResource(value = TestJwksResource.class, restrictToAnnotatedClass = true)
class SessionTokenAttacksTest {
    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static RoleServiceGrpc.RoleServiceBlockingStub as(String token) {
        return RoleServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(token));
    }

    @Test
    void everyForgedTokenIsUnauthenticated() {
        String role = RoleStates.roleArn("Attacked");
        String legit = TestJwksResource.session(role, RoleStates.roleId(role), "t1");
        // The legitimate token authenticates (once the revocations in force are read: until then
        // sessions are ServiceUnavailable): its refusal is an authorization one.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> call(as(legit)).getStatus().getCode() != Status.Code.UNAVAILABLE);
        StatusRuntimeException denied = call(as(legit));
        assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        try (JwtAttacks.CountingServer attacker = new JwtAttacks.CountingServer()) {
            List<JwtAttacks.Attack> attacks = JwtAttacks.all(legit, TestJwksResource.signingKey(),
                    JwtAttacks.freshKey("retired-key"), attacker.url());
            for (JwtAttacks.Attack a : attacks) {
                StatusRuntimeException e = call(as(a.token()));
                assertThat(e.getStatus().getCode()).as(a.name()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(GrpcErrors.reason(e)).as(a.name()).isEqualTo(a.expectedReason());
            }
            assertThat(attacker.requests()).as("requests to jku / x5u").isZero();
        }
    }

    static StatusRuntimeException call(RoleServiceGrpc.RoleServiceBlockingStub stub) {
        try {
            stub.getRole(GetRoleRequest.newBuilder().setRoleName("Attacked").build());
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("GetRole answered");
    }
}
