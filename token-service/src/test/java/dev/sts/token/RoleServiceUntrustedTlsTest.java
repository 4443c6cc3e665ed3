package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other half of {@link RoleServiceOverTlsTest}: a role-service whose certificate was issued by
 * a CA with the same name but another key is not trusted, so no role is loaded and no credential
 * issued (fail closed, ServiceUnavailable).
 */
@QuarkusTest
@TestProfile(RoleServiceUntrustedTlsTest.Untrusted.class)
class RoleServiceUntrustedTlsTest {
    static ManagedChannel channel;

    public static class Untrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", TestRoleDirectory.class.getName());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RoleServiceOverTlsTest.TlsRoleService.class, Map.of("trusted", "false")));
        }
    }

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @Test
    void anUntrustedRoleServiceCertificateIssuesNothing() {
        var ec2 = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-ec2-token"));

        assertThatThrownBy(() -> ec2.assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(RoleServiceOverTlsTest.TLS_ONLY)
                        .setRoleSessionName("untrusted").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(GrpcErrors.reason(e)).isEqualTo("ServiceUnavailable");
                });
    }
}
