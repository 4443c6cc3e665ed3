package dev.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.JwtAttacks;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.LookupEventsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * audit-service's authentication refuses every token of the JWT attack catalogue with
 * UNAUTHENTICATED, verifying against a JWK set over HTTP as in production, and never fetches a key
 * a token names. Same resources as {@link PermissionViewFlowTest}, so no extra application start.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
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

    static StatusRuntimeException lookup(String token) {
        try {
            AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(token))
                    .lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build());
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("LookupEvents answered");
    }

    @Test
    void everyForgedTokenIsUnauthenticated() throws Exception {
        String legit = SessionTokensResource.sign(PermissionViewFlowTest.session(
                RoleStates.role("Attacked").build(), "t1"));
        // Sessions are ServiceUnavailable until the revocations in force are read.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> lookup(legit).getStatus().getCode() != Status.Code.UNAVAILABLE);
        assertThat(lookup(legit).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        try (JwtAttacks.CountingServer attacker = new JwtAttacks.CountingServer()) {
            List<JwtAttacks.Attack> attacks = JwtAttacks.all(legit, com.nimbusds.jose.jwk.ECKey.parse(
                    org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getValue(SessionTokensResource.KEY_PROPERTY, String.class)),
                    JwtAttacks.freshKey("retired-key"), attacker.url());
            for (JwtAttacks.Attack a : attacks) {
                StatusRuntimeException e = lookup(a.token());
                assertThat(e.getStatus().getCode()).as(a.name()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(GrpcErrors.reason(e)).as(a.name()).isEqualTo(a.expectedReason());
            }
            assertThat(attacker.requests()).as("requests to jku / x5u").isZero();
        }
    }
}
