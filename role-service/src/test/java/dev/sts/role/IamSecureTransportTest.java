package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.testing.TestJwksResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Over plain HTTP, an IAM Query request's {@code aws:SecureTransport} is "false": a session whose
 * role denies iam:GetRole unless TLS is refused, and its own {@code X-Forwarded-Proto: https} does
 * not change that (no trusted proxy is configured). {@link IamSecureTransportTlsTest} is the same
 * session's request over TLS, allowed.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
@QuarkusTestResource(value = TestJwksResource.class, restrictToAnnotatedClass = true)
class IamSecureTransportTest {
    @Test
    void aSessionThatMayReadRolesOnlyOverTlsIsRefusedOverHttp() throws Exception {
        IamSecureTransport iam = new IamSecureTransport(HttpClient.newHttpClient(), IamQueryClients.endpoint());
        String name = RoleTests.unique("PlainTransport-");
        TestJwksResource.AwsSession session = iam.roleSession(name);
        // The control: once the permission view holds the role's policy, the unconditioned action is allowed.
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> iam.listRolePolicies(session, name).statusCode() == 200);

        HttpResponse<String> plain = iam.getRole(session, name, Map.of());
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(403);
        assertThat(plain.body()).contains("<Code>AccessDenied</Code>", "with an explicit deny");

        HttpResponse<String> claimed = iam.getRole(session, name, Map.of("X-Forwarded-Proto", "https",
                "Forwarded", "proto=https"));
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(403);
        assertThat(claimed.body()).contains("<Code>AccessDenied</Code>");
    }
}
