package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.PermissionView;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.tls.TestPki;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Over TLS (gRPC and the STS Query API on token-service's one TLS port), {@code aws:SecureTransport}
 * is "true": the trust policies that {@link SecureTransportTest} shows refusing plaintext callers
 * let the same callers in.
 */
@QuarkusTest
@TestProfile(SecureTransportTlsTest.Tls.class)
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class SecureTransportTlsTest {
    /** One directory per test JVM: the profile and the test may run in different class loaders. */
    static final Path DIR = Path.of("target", "token-tls-test-" + ProcessHandle.current().pid()).toAbsolutePath();
    static ManagedChannel channel;
    static int port;

    /** token-service served over TLS only, from a certificate for localhost made for the test. */
    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = pki();
            return Map.of(
                    "quarkus.tls.key-store.pem.service.cert", dir.resolve("server.crt").toString(),
                    "quarkus.tls.key-store.pem.service.key", dir.resolve("server.key").toString(),
                    "quarkus.http.insecure-requests", "disabled");
        }
    }

    static synchronized Path pki() {
        if (!Files.exists(DIR.resolve("done"))) {
            TestPki pki = TestPki.ca("sts token-service test CA");
            pki.writeCa(DIR.resolve("ca.crt"));
            pki.server(DIR, "server");
            try {
                Files.writeString(DIR.resolve("done"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return DIR;
    }

    @Inject
    PermissionView view;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void connect() throws Exception {
        port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        channel = Grpc.newChannelBuilderForAddress("localhost", port, TlsChannelCredentials.newBuilder()
                .trustManager(pki().resolve("ca.crt").toFile()).build()).build();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @BeforeEach
    void roles() throws Exception {
        SecureTransportRoles.publishAndAwait(bootstrapServers, view);
    }

    @Test
    void grpcOverTlsSatisfiesATrustPolicyThatRequiresTls() {
        AssumeRoleResponse r = TokenServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withCallCredentials(new BearerCredentials("test-ec2-token"))
                .assumeRole(SecureTransportTest.assume(SecureTransportRoles.TLS_ONLY_EC2));
        assertThat(r.getAssumedRoleUser().getArn())
                .isEqualTo("arn:aws:sts::000000000000:assumed-role/TlsOnlyEc2Role/transport");
    }

    @Test
    void theQueryApiOverHttpsPassesTheDenyUnlessTlsStatement() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pki().resolve("ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        trust.init(store);
        try (StsClient sts = StsClient.builder().endpointOverride(URI.create("https://localhost:" + port))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(trust::getTrustManagers).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret()))).build()) {
            var r = sts.assumeRole(b -> b.roleArn(SecureTransportRoles.DENY_INSECURE).roleSessionName("tls"));
            assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/DenyInsecureRole/tls");
        }
    }
}
