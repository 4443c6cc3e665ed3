package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterOptionsTest {

    @Test
    void defaults(@TempDir Path root) {
        ClusterOptions o = ClusterOptions.defaults(root);
        assertThat(o.stateDir()).isEqualTo(root.toAbsolutePath().resolve(".sts"));
        assertThat(o.postgresPort()).isEqualTo(15432);
        assertThat(o.kafkaPort()).isEqualTo(19092);
        assertThat(o.kafkaControllerPort()).isEqualTo(19093);
        assertThat(o.rolePort()).isEqualTo(8081);
        assertThat(o.tokenPort()).isEqualTo(8082);
        assertThat(o.auditPort()).isEqualTo(8083);
        assertThat(o.accountId()).isEqualTo("000000000000");
        assertThat(o.services()).isTrue();
        assertThat(o.javaExecutable()).endsWith("java");
        assertThat(o.serviceJar(Component.TOKEN_SERVICE))
                .isEqualTo(root.toAbsolutePath().resolve("token-service/target/quarkus-app/quarkus-run.jar"));
        assertThat(o.components()).containsExactly(Component.values());
        assertThat(ClusterOptions.builder(root).services(false).build().components())
                .containsExactly(Component.POSTGRES, Component.KAFKA);
    }

    @Test
    void controllerPortFollowsAnOverriddenKafkaPort(@TempDir Path root) {
        assertThat(ClusterOptions.builder(root).kafkaPort(29092).build().kafkaControllerPort()).isEqualTo(29093);
        assertThat(ClusterOptions.builder(root).kafkaPort(29092).kafkaControllerPort(30000).build()
                .kafkaControllerPort()).isEqualTo(30000);
    }

    @Test
    void randomPortsAreDistinct(@TempDir Path root) {
        ClusterOptions o = ClusterOptions.builder(root).randomPorts().build();
        assertThat(new int[] {o.postgresPort(), o.kafkaPort(), o.kafkaControllerPort(), o.rolePort(), o.tokenPort(),
                o.auditPort()}).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void serviceEnvironment(@TempDir Path root) {
        ClusterOptions o = ClusterOptions.builder(root).stateDir(root.resolve("st"))
                .postgresPort(1111).kafkaPort(2222).rolePort(3331).tokenPort(3332).auditPort(3333)
                .accountId("123456789012").serviceEnv("EXTRA", "x").build();
        ServiceEnvironment lc = new ServiceEnvironment(o, new StateLayout(o.repoRoot(), o.stateDir()));
        Map<String, String> db = Map.of("audit_service", "OWNERPW", "audit_app", "APPPW");

        Map<String, String> role = lc.of(Component.ROLE_SERVICE, "KEK", "TSC", db);
        assertThat(role).containsEntry("QUARKUS_HTTP_PORT", "3331")
                .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:1111/roles")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1111/roles")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "postgres")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "postgres")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:2222")
                .containsEntry("STS_ACCOUNT_ID", "123456789012")
                .containsEntry("STS_AUTH_STATIC_CREDENTIALS_FILE",
                        root.toAbsolutePath().resolve("st/static-credentials").toString())
                .containsEntry("STS_AUTH_BOOTSTRAP_PRINCIPALS", "arn:aws:iam::123456789012:root")
                .containsEntry("EXTRA", "x")
                .containsEntry("STS_DEV_MODE", "true")
                .containsEntry("STS_AUTH_INTERNAL_PRINCIPALS", "token-service.sts.internal")
                .containsEntry("STS_AUTH_JWKS_URL", "http://127.0.0.1:3332/.well-known/jwks.json")
                .doesNotContainKeys("STS_TOKEN_KEY_ENCRYPTION_KEY", "QUARKUS_GRPC_CLIENTS_ROLES_PORT",
                        "STS_TOKEN_ROLE_SERVICE_CREDENTIAL");

        Map<String, String> token = lc.of(Component.TOKEN_SERVICE, "KEK", "TSC", db);
        assertThat(token).containsEntry("QUARKUS_HTTP_PORT", "3332")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:1111/tokens")
                .containsEntry("QUARKUS_GRPC_CLIENTS_ROLES_HOST", "127.0.0.1")
                .containsEntry("QUARKUS_GRPC_CLIENTS_ROLES_PORT", "3331")
                .containsEntry("STS_TOKEN_KEY_ENCRYPTION_KEY", "KEK")
                .containsEntry("STS_TOKEN_ISSUER", "http://127.0.0.1:3332")
                .containsEntry("STS_TOKEN_ROLE_SERVICE_CREDENTIAL", "TSC")
                .containsEntry("STS_DEV_MODE", "true")
                .doesNotContainKeys("STS_AUTH_JWKS_URL", "STS_AUTH_INTERNAL_PRINCIPALS", "QUARKUS_FLYWAY_USERNAME");

        assertThat(lc.of(Component.AUDIT_SERVICE, "KEK", "TSC", db))
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1111/audit")
                .containsEntry("STS_AUTH_JWKS_URL", "http://127.0.0.1:3332/.well-known/jwks.json")
                // audit-service runs as the insert/select-only role; Flyway migrates as the owner
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "audit_app")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "APPPW")
                .containsEntry("QUARKUS_FLYWAY_USERNAME", "audit_service")
                .containsEntry("QUARKUS_FLYWAY_PASSWORD", "OWNERPW")
                .containsEntry("STS_AUDIT_CHECKPOINT_KEY_ENCRYPTION_KEY", "KEK")
                .containsEntry("STS_DEV_MODE", "true")
                .doesNotContainKeys("STS_AUTH_INTERNAL_PRINCIPALS", "STS_TOKEN_ROLE_SERVICE_CREDENTIAL");
    }

    @Test
    void endpoints(@TempDir Path root) {
        Endpoints e = new LocalCluster(ClusterOptions.builder(root).build()).endpoints();
        assertThat(e.jwksUrl()).isEqualTo("http://127.0.0.1:8082/.well-known/jwks.json");
        assertThat(e.postgresJdbcBase()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/");
        assertThat(e.reactiveUrl("roles")).isEqualTo("postgresql://127.0.0.1:15432/roles");
        assertThat(e.kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(e.hostPort(Component.AUDIT_SERVICE)).isEqualTo("127.0.0.1:8083");
        assertThat(e.tokenService()).hasToString("http://127.0.0.1:8082");
    }

    @Test
    void aTakenPortIsAOneLineErrorNamingTheVariable(@TempDir Path root) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            LocalCluster lc = new LocalCluster(ClusterOptions.builder(root).stateDir(root.resolve("st"))
                    .randomPorts().rolePort(port).build());
            // the services are not built in this temp root, so check with services off for PostgreSQL...
            LocalCluster infra = new LocalCluster(ClusterOptions.builder(root).stateDir(root.resolve("st"))
                    .randomPorts().postgresPort(port).services(false).build());
            assertThatThrownBy(infra::checkStartable).isInstanceOf(ClusterException.class)
                    .hasMessage("port " + port + " is already in use (postgres); set STS_PG_PORT");
            // ...and missing service jars are reported before ports
            assertThatThrownBy(lc::checkStartable).isInstanceOf(ClusterException.class)
                    .hasMessageStartingWith("role-service is not built (");
        }
    }

    @Test
    void invalidAccountAndDuplicatePortsAreRejected(@TempDir Path root) {
        assertThatThrownBy(new LocalCluster(ClusterOptions.builder(root).accountId("12").build())::checkStartable)
                .hasMessageContaining("not 12 digits");
        assertThatThrownBy(new LocalCluster(ClusterOptions.builder(root).services(false).postgresPort(19092)
                .build())::checkStartable).hasMessageContaining("port 19092 is given to both postgres and kafka");
    }
}
