package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.testing.TestJwksResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Over TLS (role-service's one port speaking TLS only, {@link TlsProfile}), an IAM Query request's
 * {@code aws:SecureTransport} is "true": the "deny unless TLS" statement that refuses the session in
 * {@link IamSecureTransportTest} lets the same request through.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "roles"))
@QuarkusTestResource(value = TestJwksResource.class, restrictToAnnotatedClass = true)
class IamSecureTransportTlsTest {
    @Test
    void aSessionThatMayReadRolesOnlyOverTlsIsAllowedOverHttps() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(RoleServiceTlsTest.trusting(TlsProfile.dir().resolve("ca.crt"))).build();
        IamSecureTransport iam = new IamSecureTransport(https, URI.create("https://localhost:" + port + "/"));
        String name = RoleTests.unique("TlsTransport-");
        TestJwksResource.AwsSession session = iam.roleSession(name);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> iam.listRolePolicies(session, name).statusCode() == 200);

        HttpResponse<String> tls = iam.getRole(session, name, Map.of());
        assertThat(tls.statusCode()).as(tls.body()).isEqualTo(200);
        assertThat(tls.body()).contains("<RoleName>" + name + "</RoleName>");
    }
}
