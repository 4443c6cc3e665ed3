package dev.sts.cluster.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import dev.sts.kit.events.TopicProvisioner;
import dev.sts.kit.events.Topics;
import dev.sts.kit.events.Topics.TopicSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL and one Kafka broker for every test of a JVM: started lazily by the first
 * {@link #get()}, shared by all test classes, stopped by a shutdown hook.
 *
 * <p>Which kind:
 * <ul>
 * <li>{@code embedded} (the default without Docker): zonky's real PostgreSQL binaries on a random
 * free port (data under {@code java.io.tmpdir}) and an in-JVM KRaft broker
 * ({@link KafkaClusterTestKit}).</li>
 * <li>{@code containers} (the default where a Docker engine answers): Testcontainers PostgreSQL and
 * Kafka.</li>
 * </ul>
 * System property or environment variable {@code STS_TEST_INFRA=embedded|containers} forces one.
 *
 * <p>The broker does not create topics on first use ({@code auto.create.topics.enable=false}), as
 * in production: every topic of {@link Topics#ALL} is created at start, from the one
 * specification, so a test sees the same topics and settings as a deployment, and a service that
 * relied on implicit creation fails here first.
 *
 * <p>The instance is JVM-wide even across class loaders (Quarkus tests load test classes in their
 * own class loaders): the first starter publishes the endpoints as system properties
 * {@code sts.test-infra.*}, and a later {@link #get()} from another class loader uses them.
 */
public final class SharedInfrastructure {
    /** System property or environment variable: {@code embedded} or {@code containers}. */
    public static final String MODE_PROPERTY = "STS_TEST_INFRA";
    public static final String POSTGRES_IMAGE_PROPERTY = "STS_TEST_POSTGRES_IMAGE";
    public static final String KAFKA_IMAGE_PROPERTY = "STS_TEST_KAFKA_IMAGE";
    public static final String DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine";
    public static final String DEFAULT_KAFKA_IMAGE = "apache/kafka:4.1.2";

    private static final String P = "sts.test-infra.";
    private static final String P_MODE = P + "mode";
    private static final String P_PG_HOST = P + "pg.host";
    private static final String P_PG_PORT = P + "pg.port";
    private static final String P_PG_USER = P + "pg.user";
    private static final String P_PG_PASSWORD = P + "pg.password";
    private static final String P_KAFKA = P + "kafka.bootstrap";

    /** A JVM-wide lock (interned strings are shared by all class loaders). */
    private static final Object JVM_LOCK = "dev.sts.cluster.test.SharedInfrastructure.lock".intern();

    private static volatile SharedInfrastructure instance;

    private final String mode;
    private final String pgHost;
    private final int pgPort;
    private final String username;
    private final String password;
    private final String kafkaBootstrapServers;

    private SharedInfrastructure(String mode, String pgHost, int pgPort, String username, String password,
            String kafkaBootstrapServers) {
        this.mode = mode;
        this.pgHost = pgHost;
        this.pgPort = pgPort;
        this.username = username;
        this.password = password;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
    }

    static SharedInfrastructure ofContainers(String host, int pgPort, String user, String password, String kafka) {
        return new SharedInfrastructure("containers", host, pgPort, user, password, kafka);
    }

    /** The shared infrastructure, started on first use. */
    public static SharedInfrastructure get() {
        SharedInfrastructure i = instance;
        if (i != null) {
            return i;
        }
        synchronized (JVM_LOCK) {
            if (instance == null) {
                instance = published();
                if (instance == null) {
                    instance = start();
                    publish(instance);
                }
            }
            return instance;
        }
    }

    private static SharedInfrastructure published() {
        String mode = System.getProperty(P_MODE);
        if (mode == null) {
            return null;
        }
        return new SharedInfrastructure(mode, System.getProperty(P_PG_HOST),
                Integer.parseInt(System.getProperty(P_PG_PORT)), System.getProperty(P_PG_USER),
                System.getProperty(P_PG_PASSWORD), System.getProperty(P_KAFKA));
    }

    private static void publish(SharedInfrastructure i) {
        System.setProperty(P_PG_HOST, i.pgHost);
        System.setProperty(P_PG_PORT, String.valueOf(i.pgPort));
        System.setProperty(P_PG_USER, i.username);
        System.setProperty(P_PG_PASSWORD, i.password);
        System.setProperty(P_KAFKA, i.kafkaBootstrapServers);
        System.setProperty(P_MODE, i.mode); // last: its presence means the rest is there
    }

    /** {@code embedded} or {@code containers}, as chosen by {@link #MODE_PROPERTY} or Docker's presence. */
    static String chooseMode() {
        String forced = setting(MODE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            String m = forced.trim().toLowerCase(Locale.ROOT);
            if (!m.equals("embedded") && !m.equals("containers")) {
                throw new IllegalStateException(MODE_PROPERTY + "=" + forced + ": expected embedded or containers");
            }
            return m;
        }
        return Containers.dockerAvailable() ? "containers" : "embedded";
    }

    static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    private static SharedInfrastructure start() {
        String mode = chooseMode();
        long t0 = System.nanoTime();
        SharedInfrastructure i = mode.equals("containers") ? Containers.start() : Embedded.start();
        i.createTopics(Topics.names().toArray(String[]::new));
        System.err.printf(Locale.ROOT, "[sts test infrastructure] %s: PostgreSQL %s:%d, Kafka %s (%.1f s)%n",
                mode, i.pgHost, i.pgPort, i.kafkaBootstrapServers, (System.nanoTime() - t0) / 1e9);
        return i;
    }

    // ------------------------------------------------------------------------------------------

    /** {@code embedded} or {@code containers}. */
    public String mode() {
        return mode;
    }

    /**
     * Creates the database unless it exists (idempotent, safe from several threads or JVMs).
     *
     * @param name {@code [a-z_][a-z0-9_]*}
     * @return the name
     */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), connectProperties())) {
            createDatabaseIfMissing(c, name);
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static void createDatabaseIfMissing(Connection c, String name) throws SQLException {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name '" + name + "': use [a-z_][a-z0-9_]*");
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                throw e;
            }
        }
    }

    private Properties connectProperties() {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        return p;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/db}. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + db;
    }

    /** {@code postgresql://127.0.0.1:PORT/db}, the form of {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String db) {
        return "postgresql://" + pgHost + ":" + pgPort + "/" + db;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /**
     * Creates the topics that do not exist yet (idempotent). A topic of the system is created as
     * {@link Topics#ALL} specifies it (single-broker replication); any other name (a test's own
     * topic) with {@value Topics#PARTITIONS} partitions and {@code cleanup.policy=delete}.
     */
    public void createTopics(String... names) {
        List<TopicSpec> specs = Arrays.stream(names).map(SharedInfrastructure::specOf).toList();
        try (Admin admin = admin()) {
            TopicProvisioner.createMissing(admin, specs, Topics.Replication.SINGLE_BROKER, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(names) + ": " + e, e);
        }
    }

    private static TopicSpec specOf(String name) {
        return Topics.spec(name).orElseGet(() -> new TopicSpec(name, Topics.PARTITIONS, Topics.DELETE,
                Optional.empty(), "a test's own topic"));
    }

    /** An admin client of the shared broker (the caller closes it). */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sts-test-infrastructure-admin");
        return Admin.create(p);
    }

    @Override
    public String toString() {
        return "SharedInfrastructure[" + mode + ", postgres " + pgHost + ":" + pgPort + ", kafka "
                + kafkaBootstrapServers + "]";
    }

    // ------------------------------------------------------------------------------------------

    /** zonky PostgreSQL + in-JVM KRaft broker. */
    private static final class Embedded {
        private static final Duration KAFKA_CLOSE_WAIT = Duration.ofSeconds(10);

        static SharedInfrastructure start() {
            EmbeddedPostgres pg;
            try {
                pg = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            // The in-JVM broker must never end the test JVM. Kafka halts its process on a fatal fault,
            // e.g. when its log directory goes away while the JVM shuts down; the test runner then sees
            // a non-zero exit code and fails the module although every test passed. Kafka's own tests
            // replace these procedures the same way.
            Exit.setHaltProcedure((code, message) -> System.err.println(
                    "sts test infrastructure: the in-JVM Kafka broker asked to halt (" + code + "): " + message));
            Exit.setExitProcedure((code, message) -> System.err.println(
                    "sts test infrastructure: the in-JVM Kafka broker asked to exit (" + code + "): " + message));
            KafkaClusterTestKit kafka;
            try {
                kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                        // one broker: internal topics must not ask for 3 replicas, or no group coordinator
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                        .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", String.valueOf(Topics.PARTITIONS))
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
                kafka.format();
                kafka.startup();
                kafka.waitForReadyBrokers();
            } catch (Exception e) {
                closeQuietly(pg);
                throw new IllegalStateException("could not start the in-JVM Kafka broker: " + e.getMessage(), e);
            }
            KafkaClusterTestKit k = kafka;
            // PostgreSQL first: it is a separate OS process that must not outlive the JVM. The
            // in-JVM broker dies with the JVM anyway; its orderly close gets a bounded time, since
            // on a loaded machine it can outlast the test runner's patience with a forked JVM
            // (surefire then reports the whole module as failed).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeQuietly(pg);
                Thread close = new Thread(() -> {
                    try {
                        k.close();
                    } catch (Exception ignored) {
                        // JVM is exiting
                    }
                }, "sts-test-kafka-close");
                close.setDaemon(true);
                close.start();
                try {
                    close.join(KAFKA_CLOSE_WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sts-test-infrastructure-stop"));
            return new SharedInfrastructure("embedded", "127.0.0.1", pg.getPort(), "postgres", "postgres",
                    kafka.bootstrapServers());
        }

        private static void closeQuietly(EmbeddedPostgres pg) {
            try {
                pg.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
