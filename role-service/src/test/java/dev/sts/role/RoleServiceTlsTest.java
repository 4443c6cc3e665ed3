package dev.sts.role;

import static dev.sts.role.RoleServiceTest.TRUST;
import static dev.sts.role.RoleServiceTest.assertError;
import static dev.sts.role.RoleServiceTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * role-service over TLS with client certificates, through real gRPC over real TLS sockets: a caller
 * presenting a verified certificate whose SPIFFE ID is mapped is that principal; every other
 * certificate, and plaintext, is refused.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "roles"))
class RoleServiceTlsTest {
    static final List<ManagedChannel> CHANNELS = new ArrayList<>();
    static Path dir;
    static int port;

    @BeforeAll
    static void certificates() {
        dir = TlsProfile.dir();
        port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    }

    @AfterAll
    static void close() {
        CHANNELS.forEach(ManagedChannel::shutdownNow);
    }

    /** A client over TLS trusting the test CA, presenting the named client certificate (none for null). */
    static RoleServiceGrpc.RoleServiceBlockingStub stub(String clientCert) {
        try {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder()
                    .trustManager(dir.resolve("ca.crt").toFile());
            if (clientCert != null) {
                tls.keyManager(dir.resolve(clientCert + ".crt").toFile(), dir.resolve(clientCert + ".key").toFile());
            }
            return stub(tls.build());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static RoleServiceGrpc.RoleServiceBlockingStub stub(ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
        CHANNELS.add(channel);
        return RoleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static Role createRole() {
        return stub((String) null).withCallCredentials(new BearerCredentials("test-admin-token"))
                .createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Tls-"))
                        .setAssumeRolePolicyDocument(TRUST).build()).getRole();
    }

    static GetRoleRequest get(Role role) {
        return GetRoleRequest.newBuilder().setRoleName(role.getRoleName()).build();
    }

    @Test
    void aMappedSpiffeIdIsItsPrincipalWithoutABearer() {
        Role role = createRole();
        RoleServiceGrpc.RoleServiceBlockingStub tokenService = stub("token-service");

        // token-service.sts.internal may read roles ...
        assertThat(tokenService.getRole(get(role)).getRole()).isEqualTo(role);
        // ... and nothing else: the certificate made it that principal, not an administrator.
        assertError(() -> tokenService.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Tls-"))
                .setAssumeRolePolicyDocument(TRUST).build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
    }

    @Test
    void aBearerCredentialWinsOverTheCertificate() {
        RoleServiceGrpc.RoleServiceBlockingStub tokenService = stub("token-service");
        // The administrator's bearer decides, though the certificate alone could not create a role.
        Role created = tokenService.withCallCredentials(new BearerCredentials("test-admin-token"))
                .createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Tls-")).setAssumeRolePolicyDocument(TRUST)
                        .build()).getRole();
        assertThat(created.getArn()).startsWith("arn:aws:iam::000000000000:role/");
        // An invalid bearer never falls back to the valid certificate.
        assertError(() -> tokenService.withCallCredentials(new BearerCredentials("not-a-credential")).getRole(get(created)),
                Status.Code.UNAUTHENTICATED, "InvalidClientTokenId");
    }

    @Test
    void withoutAClientCertificateOrBearerTheCallerIsUnauthenticated() {
        Role role = createRole();
        assertError(() -> stub((String) null).getRole(get(role)), Status.Code.UNAUTHENTICATED,
                "MissingAuthenticationToken");
    }

    @Test
    void certificatesThatMapToNoPrincipalAreInvalidClientTokenId() {
        Role role = createRole();
        for (String cert : List.of("unmapped", "no-san", "two-uris")) {
            StatusRuntimeException e = assertError(() -> stub(cert).getRole(get(role)), Status.Code.UNAUTHENTICATED,
                    "InvalidClientTokenId");
            assertThat(e.getStatus().getDescription()).as(cert).doesNotContain("BEGIN");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtTheHandshake() {
        Role role = createRole();
        // Same subject name as the trusted CA and a mapped SPIFFE ID, but not signed by the trusted CA.
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> stub("forged").getRole(get(role)));
        assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
    }

    @Test
    void plaintextIsRefusedOnTheServicePort() {
        Role role = createRole();
        assertThatThrownBy(() -> stub(InsecureChannelCredentials.create())
                .withCallCredentials(new BearerCredentials("test-admin-token")).getRole(get(role)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void healthIsServedOverTlsOnTheSamePortWithoutAClientCertificate() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(dir.resolve("ca.crt"))).build();
        HttpResponse<String> live = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
