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

import dev.sts.kit.events.Topics;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with real PostgreSQL and Kafka processes and {@link FakeService} jars in place of the
 * Quarkus apps (the real services are built elsewhere): infra-only start, services started on the
 * running infrastructure, environment, readiness, status, stop from another instance (like
 * {@code ./sts down}), and the failure path (log tail, everything stopped again).
 */
class LocalClusterTest {
    /** Every topic of the specification exists. */
    static final String KAFKA_READY = "ready (1 broker, " + Topics.ALL.size() + " of " + Topics.ALL.size() + " topics)";

    @Test
    void infraOnlyThenServicesThenDownFromAnotherInstance(@TempDir Path root) throws Exception {
        fakeServiceJars(root);
        ClusterOptions full = ClusterOptions.builder(root).randomPorts()
                .accountId("123456789012").serviceJvmArgs(List.of("-Xmx32m", "-XX:+UseSerialGC"))
                .classpath(System.getProperty("java.class.path")).build();
        ClusterOptions infraOnly = full.toBuilder().services(false).build();
        List<String> progress = new ArrayList<>();
        List<Long> pids = new ArrayList<>();

        try {
            startInfraThenServicesThenDown(full, infraOnly, progress, pids);
        } finally {
            new LocalCluster(full).stop(); // no leftovers when an assertion failed half-way
        }
    }

    private static void startInfraThenServicesThenDown(ClusterOptions full, ClusterOptions infraOnly,
            List<String> progress, List<Long> pids) throws Exception {
        // 1. PostgreSQL + Kafka only
        LocalCluster infra = new LocalCluster(infraOnly).onProgress(progress::add).start();
        ClusterStatus st = infra.status();
        assertThat(st.runningComponents()).containsExactly(Component.POSTGRES, Component.KAFKA);
        assertThat(st.components().get(0).health()).isEqualTo("ready");
        assertThat(st.components().get(1).health()).isEqualTo(KAFKA_READY);
        for (ComponentStatus s : st.components().subList(0, 2)) {
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
        assertDurableCommits(infra);
        assertTopicsAsSpecified(infra.endpoints());
        assertAuditDatabaseRoles(infra);
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
                .contains("/audit").contains("env STS_ACCOUNT_ID=123456789012")
                .contains("env QUARKUS_DATASOURCE_USERNAME=audit_app")
                .contains("env QUARKUS_FLYWAY_USERNAME=audit_service")
                .contains("env STS_DEV_MODE=true");

        // 2b. one component at a time, from fresh instances (like `./sts restart kafka`)
        restartOneComponentAtATime(full, pids);
        st = cluster.status();
        pids.clear();
        st.components().forEach(s -> pids.add(s.pid()));

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

    /**
     * The broker's outage and return, through the CLI as a user would do it, while the rest keeps
     * running; then a service stopped and started alone, with the credentials it had.
     */
    private static void restartOneComponentAtATime(ClusterOptions full, List<Long> pids) throws Exception {
        LocalCluster fresh = new LocalCluster(full);
        long kafkaPid = fresh.processStatus().components().get(Component.KAFKA.ordinal()).pid();
        long rolePid = fresh.processStatus().components().get(Component.ROLE_SERVICE.ordinal()).pid();

        assertThat(StsCli.run("stop", "kafka", "--root", full.repoRoot().toString(),
                "--state-dir", full.stateDir().toString())).isZero();
        ClusterStatus st = fresh.status();
        assertThat(st.runningComponents()).containsExactly(Component.POSTGRES, Component.ROLE_SERVICE,
                Component.TOKEN_SERVICE, Component.AUDIT_SERVICE);
        assertThat(ProcessHandle.of(kafkaPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(KafkaProcess.canConnect(full.kafkaPort())).isFalse();

        assertThat(StsCli.run("start", "kafka", "--root", full.repoRoot().toString(),
                "--state-dir", full.stateDir().toString())).isZero();
        st = fresh.status();
        assertThat(st.runningComponents()).containsExactly(Component.values());
        assertThat(st.components().get(Component.KAFKA.ordinal()).health()).isEqualTo(KAFKA_READY);
        assertThat(st.components().get(Component.KAFKA.ordinal()).pid()).isNotEqualTo(kafkaPid);
        assertThat(st.components().get(Component.ROLE_SERVICE.ordinal()).pid()).as("untouched").isEqualTo(rolePid);
        assertThatThrownBy(() -> fresh.start(Component.KAFKA)).isInstanceOf(ClusterException.class)
                .hasMessageStartingWith("kafka is already running (pid ");

        assertThat(StsCli.run("restart", "kafka", "--root", full.repoRoot().toString(),
                "--state-dir", full.stateDir().toString())).isZero();
        assertThat(fresh.status().components().get(Component.KAFKA.ordinal()).health())
                .isEqualTo(KAFKA_READY);

        String credential = fresh.token("token-service");
        new LocalCluster(full).restart(Component.TOKEN_SERVICE);
        st = fresh.status();
        assertThat(st.components().get(Component.TOKEN_SERVICE.ordinal()).health()).isEqualTo("ready");
        assertThat(st.components().get(Component.TOKEN_SERVICE.ordinal()).pid())
                .isNotEqualTo(pids.get(Component.TOKEN_SERVICE.ordinal()));
        assertThat(fresh.token("token-service")).as("credentials are not rotated by a restart").isEqualTo(credential);
        assertThat(Files.readString(fresh.logFile(Component.TOKEN_SERVICE)))
                .contains("env STS_TOKEN_ROLE_SERVICE_CREDENTIAL=" + credential);
    }

    /** Every topic of the specification, with its partitions and settings at single-broker replication. */
    private static void assertTopicsAsSpecified(Endpoints e) throws Exception {
        try (Admin admin = KafkaAdmin.create(e.kafkaBootstrapServers(), Duration.ofSeconds(10))) {
            var described = admin.describeTopics(Topics.names()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (Topics.TopicSpec spec : Topics.ALL) {
                assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
                described.get(spec.name()).partitions()
                        .forEach(p -> assertThat(p.replicas()).as(spec.name()).hasSize(1));
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Map<ConfigResource, Config> cfg = admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS);
                spec.configs(Topics.Replication.SINGLE_BROKER).forEach((k, v) ->
                        assertThat(cfg.get(r).get(k).value()).as(spec.name() + " " + k).isEqualTo(v));
            }
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(Topics.names());
        }
    }

    /**
     * audit: owned by audit_service; audit_app can connect but create nothing; nobody else can connect.
     */
    /**
     * A commit the services were told about survives a crash of PostgreSQL or of the machine; the
     * server is sized for the audit log's appends (docs/adr/029).
     */
    private static void assertDurableCommits(LocalCluster infra) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.endpoints().jdbcUrl("postgres"), "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout')")) {
            java.util.Map<String, String> settings = new java.util.TreeMap<>();
            while (rs.next()) {
                settings.put(rs.getString(1), rs.getString(2));
            }
            assertThat(settings).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on")
                    .containsEntry("shared_buffers", "131072") // 8 kB pages: 1 GB
                    .containsEntry("max_wal_size", "4096") // MB
                    .containsEntry("checkpoint_timeout", "900"); // s
        }
    }

    private static void assertAuditDatabaseRoles(LocalCluster infra) throws Exception {
        java.util.Properties pw = new java.util.Properties();
        pw.load(new java.io.StringReader(Files.readString(infra.stateDir().resolve("db-passwords"))));
        String url = infra.endpoints().jdbcUrl("audit");
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_get_userbyid(datdba) from pg_database where datname = 'audit'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("audit_service");
        }
        try (Connection c = DriverManager.getConnection(url, "audit_app", pw.getProperty("audit_app"));
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("create table sneaky(x int)")).hasMessageContaining("permission denied");
        }
        try (Connection c = DriverManager.getConnection(url, "audit_service", pw.getProperty("audit_service"));
                Statement s = c.createStatement()) {
            s.execute("create table if not exists owner_can(x int)");
            s.execute("drop table owner_can");
        }
        try (Connection c = DriverManager.getConnection(infra.endpoints().jdbcUrl("postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("create role lc_other login");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "lc_other", "").close())
                .hasMessageContaining("permission denied for database");
    }

    @Test
    void aServiceThatDiesFailsTheStartWithItsLogAndStopsEverything(@TempDir Path root) throws Exception {
        fakeServiceJars(root);
        ClusterOptions options = ClusterOptions.builder(root).randomPorts()
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
