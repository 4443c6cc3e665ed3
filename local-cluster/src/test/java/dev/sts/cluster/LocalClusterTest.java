package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with real PostgreSQL and Kafka processes and {@link FakeService} jars in place of the
 * Quarkus apps (the real services are built elsewhere): infra-only start, services started on the
 * running infrastructure, environment, readiness, status, stop from another instance (like
 * {@code ./sts down}), and the failure path (log tail, everything stopped again).
 */
class LocalClusterTest {

    @Test
    void infraOnlyThenServicesThenDownFromAnotherInstance(@TempDir Path root) throws Exception {
        fakeServiceJars(root);
        LocalCluster.Options full = LocalCluster.Options.builder(root).randomPorts()
                .accountId("123456789012").serviceJvmArgs(List.of("-Xmx32m", "-XX:+UseSerialGC"))
                .classpath(System.getProperty("java.class.path")).build();
        LocalCluster.Options infraOnly = full.toBuilder().services(false).build();
        List<String> progress = new ArrayList<>();
        List<Long> pids = new ArrayList<>();

        try {
            startInfraThenServicesThenDown(full, infraOnly, progress, pids);
        } finally {
            new LocalCluster(full).stop(); // no leftovers when an assertion failed half-way
        }
    }

    private static void startInfraThenServicesThenDown(LocalCluster.Options full, LocalCluster.Options infraOnly,
            List<String> progress, List<Long> pids) throws Exception {
        // 1. PostgreSQL + Kafka only
        LocalCluster infra = new LocalCluster(infraOnly).onProgress(progress::add).start();
        LocalCluster.ClusterStatus st = infra.status();
        assertThat(st.runningComponents()).containsExactly(Component.POSTGRES, Component.KAFKA);
        assertThat(st.components().get(0).health()).isEqualTo("ready");
        assertThat(st.components().get(1).health()).isEqualTo("ready (1 broker, 3 of 3 topics)");
        for (LocalCluster.ComponentStatus s : st.components().subList(0, 2)) {
            assertThat(s.pid()).as("separate OS process").isNotEqualTo(ProcessHandle.current().pid());
            assertThat(Files.readString(infra.pidFile(s.component())).trim()).isEqualTo(String.valueOf(s.pid()));
        }
        for (String db : Component.databases()) {
            try (Connection c = DriverManager.getConnection(infra.endpoints().jdbcUrl(db), "postgres", "postgres");
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        try (Admin admin = Topics.admin(infra.endpoints().kafkaBootstrapServers(), Duration.ofSeconds(10))) {
            var described = admin.describeTopics(Topics.ALL.keySet()).allTopicNames().get(10, TimeUnit.SECONDS);
            described.values().forEach(d -> assertThat(d.partitions()).hasSize(3));
            ConfigResource rev = new ConfigResource(ConfigResource.Type.TOPIC, Topics.REVOCATIONS);
            Map<ConfigResource, Config> cfg = admin.describeConfigs(List.of(rev)).all().get(10, TimeUnit.SECONDS);
            assertThat(cfg.get(rev).get("cleanup.policy").value()).isEqualTo("compact");
        }
        assertThat(Files.readString(full.stateDir().resolve("kek")).trim()).matches("[A-Za-z0-9+/]{43}=");
        assertThatThrownBy(() -> new LocalCluster(infraOnly).start()).isInstanceOf(ClusterException.class)
                .hasMessageContaining("already running");

        // 2. the services, on the running PostgreSQL and Kafka
        LocalCluster cluster = new LocalCluster(full).onProgress(progress::add).start();
        st = cluster.status();
        assertThat(st.runningComponents()).containsExactly(Component.values());
        st.components().forEach(s -> pids.add(s.pid()));
        for (Component s : Component.services()) {
            assertThat(st.components().get(s.ordinal()).health()).isEqualTo("ready");
        }
        String admin = cluster.token("admin");
        assertThat(admin).startsWith("sts-dev-");
        assertThat(Files.readString(cluster.staticCredentialsFile()))
                .contains(DevCredentials.sha256Hex(admin) + " arn:aws:iam::123456789012:root");

        String role = Files.readString(cluster.logFile(Component.ROLE_SERVICE));
        assertThat(role).contains("env QUARKUS_HTTP_PORT=" + full.rolePort())
                .contains("env QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:" + full.postgresPort() + "/roles")
                .contains("env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + full.kafkaPort())
                .contains("env STS_AUTH_BOOTSTRAP_PRINCIPALS=arn:aws:iam::123456789012:root")
                .contains("static credentials: 4")
                .doesNotContain("STS_TOKEN_KEY_ENCRYPTION_KEY");
        assertThat(role).contains("env STS_AUTH_INTERNAL_PRINCIPALS=token-service.sts.internal")
                .contains("env STS_AUTH_JWKS_URL=http://127.0.0.1:" + full.tokenPort() + "/.well-known/jwks.json");
        String token = Files.readString(cluster.logFile(Component.TOKEN_SERVICE));
        assertThat(token).contains("env STS_TOKEN_KEY_ENCRYPTION_KEY=<44 chars>")
                .contains("env QUARKUS_GRPC_CLIENTS_ROLES_PORT=" + full.rolePort())
                .contains("env STS_TOKEN_ISSUER=http://127.0.0.1:" + full.tokenPort())
                .contains("env STS_TOKEN_ROLE_SERVICE_CREDENTIAL=" + cluster.token("token-service"))
                .contains("env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:" + full.postgresPort() + "/tokens");
        assertThat(Files.readString(cluster.logFile(Component.AUDIT_SERVICE)))
                .contains("/audit").contains("env STS_ACCOUNT_ID=123456789012");

        // 3. `./sts down`: a fresh instance stops everything through the pid files
        assertThat(new LocalCluster(full).stop()).containsExactlyInAnyOrder(Component.values());
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
        }
        assertThat(PostgresMain.postmasterPid(full.stateDir().resolve("postgres/postmaster.pid"))).isEmpty();
        assertThat(full.stateDir().resolve("pids")).isEmptyDirectory();
        assertThat(new LocalCluster(full).stop()).isEmpty(); // idempotent
        assertThat(cluster.status().anyRunning()).isFalse();
        assertThat(progress).anyMatch(l -> l.startsWith("postgres: ready")).anyMatch(l -> l.startsWith("kafka: ready"))
                .anyMatch(l -> l.startsWith("postgres and kafka are already running"))
                .anyMatch(l -> l.startsWith("token-service: ready"));
    }

    @Test
    void aServiceThatDiesFailsTheStartWithItsLogAndStopsEverything(@TempDir Path root) throws Exception {
        fakeServiceJars(root);
        LocalCluster.Options options = LocalCluster.Options.builder(root).randomPorts()
                .serviceEnv("FAKE_FAIL", "1").serviceReadyTimeout(Duration.ofSeconds(30))
                .classpath(System.getProperty("java.class.path")).build();
        LocalCluster cluster = new LocalCluster(options);
        assertThatThrownBy(cluster::start).isInstanceOf(ClusterException.class)
                .hasMessageContaining("-service exited during startup (exit code 3)")
                .hasMessageContaining("fake failure: cannot connect to nothing")
                .hasMessageContaining("--- last ");
        assertThat(cluster.processStatus().anyRunning()).isFalse();
        assertThat(PostgresMain.postmasterPid(options.stateDir().resolve("postgres/postmaster.pid"))).isEmpty();
    }

    /** {@code <root>/<svc>/target/quarkus-app/quarkus-run.jar} containing only {@link FakeService}. */
    static void fakeServiceJars(Path root) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            bytes = in.readAllBytes();
        }
        for (Component s : Component.services()) {
            Path jar = root.resolve(s.id()).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
                j.putNextEntry(new JarEntry(entry));
                j.write(bytes);
                j.closeEntry();
            }
        }
    }
}
