package dev.sts.kit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.grpc.runtime.config.GrpcConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.tls.runtime.config.TlsBucketConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The environment variables the README and the kustomize tls component set reach the Quarkus settings
 * they are meant for (an env name that matched nothing would silently leave a service in plaintext).
 */
class QuarkusTlsEnvironmentTest {
    static SmallRyeConfig config(Map<String, String> env, Class<?> mapping) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                // Quarkus's own converters for these types ("10S", "1h" are Quarkus duration syntax).
                .withConverter(Path.class, 100, Path::of)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(mapping)
                .withValidateUnknown(false)
                .build();
    }

    @Test
    void theDefaultTlsConfigurationTakesTheMountedPemFiles() {
        SmallRyeConfig config = config(Map.of(
                "QUARKUS_TLS_KEY_STORE_PEM_SERVICE_CERT", "/etc/sts-tls/tls.crt",
                "QUARKUS_TLS_KEY_STORE_PEM_SERVICE_KEY", "/etc/sts-tls/tls.key",
                "QUARKUS_TLS_TRUST_STORE_PEM_CERTS", "/etc/sts-tls/ca.crt",
                "QUARKUS_TLS_RELOAD_PERIOD", "1h"), io.quarkus.tls.runtime.config.TlsConfig.class);

        TlsBucketConfig bucket = config.getConfigMapping(io.quarkus.tls.runtime.config.TlsConfig.class)
                .defaultCertificateConfig().orElseThrow();
        var pair = bucket.keyStore().orElseThrow().pem().orElseThrow().keyCerts().get("service");
        assertThat(pair.cert()).isEqualTo(Path.of("/etc/sts-tls/tls.crt"));
        assertThat(pair.key()).isEqualTo(Path.of("/etc/sts-tls/tls.key"));
        assertThat(bucket.trustStore().orElseThrow().pem().orElseThrow().certs().orElseThrow())
                .containsExactly(Path.of("/etc/sts-tls/ca.crt"));
        assertThat(bucket.reloadPeriod()).contains(Duration.ofHours(1));
    }

    @Test
    void tokenServicesRoleClientTakesItsTrustStoreAndCertificate() {
        SmallRyeConfig config = config(Map.of(
                "QUARKUS_GRPC_CLIENTS_ROLES_HOST", "role-service-headless",
                "QUARKUS_GRPC_CLIENTS_ROLES_SSL_TRUST_STORE", "/etc/sts-tls/ca.crt",
                "QUARKUS_GRPC_CLIENTS_ROLES_SSL_CERTIFICATE", "/etc/sts-tls/tls.crt",
                "QUARKUS_GRPC_CLIENTS_ROLES_SSL_KEY", "/etc/sts-tls/tls.key"), GrpcConfiguration.class);

        var ssl = config.getConfigMapping(GrpcConfiguration.class).clients().get("roles").ssl();
        assertThat(ssl.trustStore()).contains(Path.of("/etc/sts-tls/ca.crt"));
        assertThat(ssl.certificate()).contains(Path.of("/etc/sts-tls/tls.crt"));
        assertThat(ssl.key()).contains(Path.of("/etc/sts-tls/tls.key"));
    }

    @Test
    void theSpiffeMappingAndTheJwksTrustFileComeFromTheEnvironment() {
        SmallRyeConfig config = config(Map.of(
                "STS_TLS_SPIFFE_PRINCIPALS", "spiffe://cluster.local/ns/sts/sa/token-service=token-service.sts.internal,"
                        + "spiffe://cluster.local/ns/sts/sa/ops=arn:aws:iam::000000000000:role/Ops",
                "STS_TLS_JWKS_TRUST_FILE", "/etc/sts-tls/ca.crt"), TlsConfig.class);

        TlsConfig tls = config.getConfigMapping(TlsConfig.class);
        assertThat(tls.spiffePrincipals().orElseThrow()).hasSize(2);
        SpiffePrincipals principals = SpiffePrincipals.parse(tls.spiffePrincipals().orElseThrow());
        assertThat(principals.principalFor(SpiffeId.parse("spiffe://cluster.local/ns/sts/sa/ops").orElseThrow()))
                .contains("arn:aws:iam::000000000000:role/Ops");
        assertThat(tls.jwksTrustFile()).contains("/etc/sts-tls/ca.crt");
    }
}
