package dev.sts.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * The local cluster: PostgreSQL, a KRaft Kafka broker and the three services, each a separate OS
 * process that keeps running after the launching JVM exits.
 *
 * <p>Layout of the state directory (default {@code <repo>/.sts}):
 * <pre>
 *   logs/&lt;component&gt;.log      stdout+stderr of each process (previous run in .log.1)
 *   pids/&lt;component&gt;.pid      pid of each running process
 *   postgres/                 PostgreSQL data directory (persistent)
 *   kafka/                    server.properties, cluster-id, data/ (persistent)
 *   credentials/&lt;name&gt;.token  development bearer tokens (0600), rewritten on every start:
 *                             admin, ec2, intruder, token-service (its own credential for role-service)
 *   static-credentials        SHA-256 of each token and its principal, read by the services
 *   kek                       token-service key-encryption key (base64, 0600), generated once
 *   cluster.properties        ports and account of the last start (read by status)
 * </pre>
 *
 * <p>Typical use from a test:
 * <pre>{@code
 * try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.builder(repoRoot)
 *         .stateDir(tmp).randomPorts().build()).start()) {
 *     URI roles = cluster.endpoints().roleService();
 *     String admin = cluster.token("admin");
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final String HOST = "127.0.0.1";
    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";
    public static final String HEALTH_PATH = "/q/health/ready";
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final int LOG_TAIL_LINES = 30;

    // ------------------------------------------------------------------------------------------
    // Options
    // ------------------------------------------------------------------------------------------

    /**
     * Everything the cluster needs to start. Build with {@link #builder(Path)}.
     *
     * @param repoRoot       repository root; service jars are {@code <root>/<svc>/target/quarkus-app/quarkus-run.jar}
     * @param stateDir       state directory (default {@code <root>/.sts})
     * @param accountId      the 12-digit account id of the local partition
     * @param javaExecutable the {@code java} used for every process
     * @param classpath      classpath of the PostgreSQL and Kafka processes (this module and its dependencies)
     * @param services       whether to start the three services ({@code false}: PostgreSQL and Kafka only)
     * @param serviceJvmArgs JVM options of each service process
     * @param serviceEnv     extra environment of every service (after the defaults, so it can override them)
     */
    public record Options(Path repoRoot, Path stateDir, int postgresPort, int kafkaPort, int kafkaControllerPort,
            int rolePort, int tokenPort, int auditPort, String accountId, String javaExecutable, String classpath,
            boolean services, List<String> serviceJvmArgs, Map<String, String> serviceEnv,
            Duration serviceReadyTimeout, Duration infraReadyTimeout) {

        public static final int DEFAULT_POSTGRES_PORT = 15432;
        public static final int DEFAULT_KAFKA_PORT = 19092;
        public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
        public static final int DEFAULT_ROLE_PORT = 8081;
        public static final int DEFAULT_TOKEN_PORT = 8082;
        public static final int DEFAULT_AUDIT_PORT = 8083;

        public Options {
            Objects.requireNonNull(repoRoot, "repoRoot");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(javaExecutable, "javaExecutable");
            Objects.requireNonNull(classpath, "classpath");
            serviceJvmArgs = List.copyOf(serviceJvmArgs);
            serviceEnv = Collections.unmodifiableMap(new LinkedHashMap<>(serviceEnv));
        }

        public static Builder builder(Path repoRoot) {
            return new Builder(repoRoot);
        }

        /** The defaults: ports 15432, 19092/19093, 8081-8083, account 000000000000, services on. */
        public static Options defaults(Path repoRoot) {
            return builder(repoRoot).build();
        }

        public int port(Component c) {
            return switch (c) {
                case POSTGRES -> postgresPort;
                case KAFKA -> kafkaPort;
                case ROLE_SERVICE -> rolePort;
                case TOKEN_SERVICE -> tokenPort;
                case AUDIT_SERVICE -> auditPort;
            };
        }

        /** {@code <root>/<service>/target/quarkus-app/quarkus-run.jar}. */
        public Path serviceJar(Component service) {
            return repoRoot.resolve(service.id()).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** The components this configuration starts, in start order. */
        public List<Component> components() {
            List<Component> out = new ArrayList<>(Component.infrastructure());
            if (services) {
                out.addAll(Component.services());
            }
            return out;
        }

        public Builder toBuilder() {
            Builder b = new Builder(repoRoot);
            b.stateDir = stateDir;
            b.postgresPort = postgresPort;
            b.kafkaPort = kafkaPort;
            b.kafkaControllerPort = kafkaControllerPort;
            b.rolePort = rolePort;
            b.tokenPort = tokenPort;
            b.auditPort = auditPort;
            b.accountId = accountId;
            b.javaExecutable = javaExecutable;
            b.classpath = classpath;
            b.services = services;
            b.serviceJvmArgs = new ArrayList<>(serviceJvmArgs);
            b.serviceEnv = new LinkedHashMap<>(serviceEnv);
            b.serviceReadyTimeout = serviceReadyTimeout;
            b.infraReadyTimeout = infraReadyTimeout;
            return b;
        }

        public static final class Builder {
            private final Path repoRoot;
            private Path stateDir;
            private int postgresPort = DEFAULT_POSTGRES_PORT;
            private int kafkaPort = DEFAULT_KAFKA_PORT;
            private int kafkaControllerPort = -1;
            private int rolePort = DEFAULT_ROLE_PORT;
            private int tokenPort = DEFAULT_TOKEN_PORT;
            private int auditPort = DEFAULT_AUDIT_PORT;
            private String accountId = DEFAULT_ACCOUNT_ID;
            private String javaExecutable;
            private String classpath;
            private boolean services = true;
            private List<String> serviceJvmArgs = new ArrayList<>(List.of("-Xms64m", "-Xmx512m"));
            private Map<String, String> serviceEnv = new LinkedHashMap<>();
            private Duration serviceReadyTimeout = Duration.ofSeconds(120);
            private Duration infraReadyTimeout = Duration.ofSeconds(90);

            private Builder(Path repoRoot) {
                this.repoRoot = repoRoot.toAbsolutePath().normalize();
            }

            public Builder stateDir(Path v) {
                stateDir = v == null ? null : v.toAbsolutePath().normalize();
                return this;
            }

            public Builder postgresPort(int v) {
                postgresPort = v;
                return this;
            }

            public Builder kafkaPort(int v) {
                kafkaPort = v;
                return this;
            }

            /** Default: the Kafka port + 1 (19093 with the default Kafka port). */
            public Builder kafkaControllerPort(int v) {
                kafkaControllerPort = v;
                return this;
            }

            public Builder rolePort(int v) {
                rolePort = v;
                return this;
            }

            public Builder tokenPort(int v) {
                tokenPort = v;
                return this;
            }

            public Builder auditPort(int v) {
                auditPort = v;
                return this;
            }

            /** Free, distinct, random ports for every component (for tests). */
            public Builder randomPorts() {
                int[] p = freePorts(7);
                postgresPort = p[0];
                kafkaPort = p[1];
                kafkaControllerPort = p[2];
                rolePort = p[3];
                tokenPort = p[4];
                auditPort = p[5];
                return this;
            }

            public Builder accountId(String v) {
                accountId = v;
                return this;
            }

            public Builder javaExecutable(String v) {
                javaExecutable = v;
                return this;
            }

            public Builder classpath(String v) {
                classpath = v;
                return this;
            }

            /** {@code false}: start PostgreSQL and Kafka only. */
            public Builder services(boolean v) {
                services = v;
                return this;
            }

            public Builder serviceJvmArgs(List<String> v) {
                serviceJvmArgs = new ArrayList<>(v);
                return this;
            }

            /** An extra environment variable for every service (overrides the launcher's own). */
            public Builder serviceEnv(String name, String value) {
                serviceEnv.put(name, value);
                return this;
            }

            public Builder serviceReadyTimeout(Duration v) {
                serviceReadyTimeout = v;
                return this;
            }

            public Builder infraReadyTimeout(Duration v) {
                infraReadyTimeout = v;
                return this;
            }

            public Options build() {
                Path state = stateDir != null ? stateDir : repoRoot.resolve(".sts");
                int controller = kafkaControllerPort > 0 ? kafkaControllerPort
                        : (kafkaPort == DEFAULT_KAFKA_PORT ? DEFAULT_KAFKA_CONTROLLER_PORT : kafkaPort + 1);
                String java = javaExecutable != null ? javaExecutable : currentJava();
                String cp = classpath != null ? classpath : defaultClasspath(repoRoot);
                return new Options(repoRoot, state, postgresPort, kafkaPort, controller, rolePort, tokenPort,
                        auditPort, accountId, java, cp, services, serviceJvmArgs, serviceEnv,
                        serviceReadyTimeout, infraReadyTimeout);
            }
        }
    }

    /** Where each component listens. */
    public record Endpoints(int postgresPort, int kafkaPort, int rolePort, int tokenPort, int auditPort) {
        /** {@code jdbc:postgresql://127.0.0.1:<port>/} (append a database name). */
        public String postgresJdbcBase() {
            return "jdbc:postgresql://" + HOST + ":" + postgresPort + "/";
        }

        public String jdbcUrl(String database) {
            return postgresJdbcBase() + database;
        }

        /** {@code postgresql://127.0.0.1:<port>/<db>}, the form of {@code quarkus.datasource.reactive.url}. */
        public String reactiveUrl(String database) {
            return "postgresql://" + HOST + ":" + postgresPort + "/" + database;
        }

        public String kafkaBootstrapServers() {
            return HOST + ":" + kafkaPort;
        }

        public int port(Component c) {
            return switch (c) {
                case POSTGRES -> postgresPort;
                case KAFKA -> kafkaPort;
                case ROLE_SERVICE -> rolePort;
                case TOKEN_SERVICE -> tokenPort;
                case AUDIT_SERVICE -> auditPort;
            };
        }

        /** {@code 127.0.0.1:<port>}. */
        public String hostPort(Component c) {
            return HOST + ":" + port(c);
        }

        /** {@code http://127.0.0.1:<port>} of a service (HTTP and gRPC share the port). */
        public URI baseUri(Component service) {
            if (!service.isService()) {
                throw new IllegalArgumentException(service + " is not an HTTP service");
            }
            return URI.create("http://" + hostPort(service));
        }

        public URI roleService() {
            return baseUri(Component.ROLE_SERVICE);
        }

        public URI tokenService() {
            return baseUri(Component.TOKEN_SERVICE);
        }

        public URI auditService() {
            return baseUri(Component.AUDIT_SERVICE);
        }

        /** The human description of a component's endpoint, as the CLI prints it. */
        public String describe(Component c) {
            return switch (c) {
                case POSTGRES -> postgresJdbcBase() + "{" + String.join(",", Component.databases())
                        + "}  (user " + DB_USER + ", password " + DB_PASSWORD + ")";
                case KAFKA -> kafkaBootstrapServers();
                default -> baseUri(c).toString();
            };
        }
    }

    /** The state of one component. {@code pid} is -1 when it is not running. */
    public record ComponentStatus(Component component, boolean running, long pid, String health, String endpoint) {
    }

    /** The state of every component. */
    public record ClusterStatus(Path stateDir, List<ComponentStatus> components) {
        public boolean anyRunning() {
            return components.stream().anyMatch(ComponentStatus::running);
        }

        public boolean running(Component c) {
            return components.stream().anyMatch(s -> s.component() == c && s.running());
        }

        public List<Component> runningComponents() {
            return components.stream().filter(ComponentStatus::running).map(ComponentStatus::component)
                    .collect(Collectors.toList());
        }
    }

    // ------------------------------------------------------------------------------------------

    private final Options options;
    private final Map<Component, ProcessHandle> started = Collections.synchronizedMap(new EnumMap<>(Component.class));
    private final Map<Component, Process> launched = Collections.synchronizedMap(new EnumMap<>(Component.class));
    private volatile Consumer<String> progress = s -> { };
    private volatile boolean aborted;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public LocalCluster(Options options) {
        this.options = Objects.requireNonNull(options);
    }

    /** Progress lines ("postgres ready in 2.1 s") go to this listener; default: nowhere. */
    public LocalCluster onProgress(Consumer<String> listener) {
        this.progress = listener == null ? s -> { } : listener;
        return this;
    }

    public Options options() {
        return options;
    }

    public Path stateDir() {
        return options.stateDir();
    }

    public Endpoints endpoints() {
        return endpointsOf(options);
    }

    private static Endpoints endpointsOf(Options o) {
        return new Endpoints(o.postgresPort(), o.kafkaPort(), o.rolePort(), o.tokenPort(), o.auditPort());
    }

    public Path logFile(Component c) {
        return stateDir().resolve("logs").resolve(c.id() + ".log");
    }

    public Path pidFile(Component c) {
        return stateDir().resolve("pids").resolve(c.id() + ".pid");
    }

    /** {@code <state>/credentials/<name>.token} for {@code admin}, {@code ec2} or {@code intruder}. */
    public Path credentialFile(String name) {
        return stateDir().resolve(DevCredentials.CREDENTIALS_DIR).resolve(name + ".token");
    }

    public Path adminTokenFile() {
        return credentialFile("admin");
    }

    public Path staticCredentialsFile() {
        return stateDir().resolve(DevCredentials.STATIC_CREDENTIALS_FILE);
    }

    /** The raw bearer token written by the last start for {@code admin}, {@code ec2} or {@code intruder}. */
    public String token(String name) {
        try {
            return Files.readString(credentialFile(name), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The principal of each development credential, by token name. */
    public Map<String, String> principals() {
        return DevCredentials.principals(options.accountId());
    }

    // ------------------------------------------------------------------------------------------
    // start
    // ------------------------------------------------------------------------------------------

    /**
     * Makes a {@link #start()} running in another thread give up at its next step: it then stops what
     * it started and throws. For Ctrl+C handling; returns at once.
     */
    public void abort() {
        aborted = true;
    }

    private void checkAborted() {
        if (aborted) {
            throw new ClusterException("start aborted");
        }
    }

    /**
     * Starts PostgreSQL, Kafka and (unless {@code services(false)}) the three services and waits until
     * each is ready. On failure everything started here is stopped again and a {@link ClusterException}
     * says why (with the tail of the failing component's log).
     *
     * @return this
     * @throws ClusterException if something is already running in this state dir, a port is taken,
     *                          a service jar is missing, or a component does not get ready in time
     */
    public synchronized LocalCluster start() {
        aborted = false;
        boolean reuseInfrastructure = preflight();
        try {
            Files.createDirectories(stateDir().resolve("logs"));
            Files.createDirectories(stateDir().resolve("pids"));
            String kek = ensureKek();
            if (reuseInfrastructure) {
                progress.accept("postgres and kafka are already running: starting the services on them");
                ensureTopics();
            } else {
                writeClusterProperties();
            }
            List<DevCredentials.Credential> credentials = DevCredentials.generate(options.accountId());
            DevCredentials.write(stateDir(), credentials);
            String tokenServiceCredential = credentials.stream()
                    .filter(c -> c.name().equals(DevCredentials.TOKEN_SERVICE_CREDENTIAL))
                    .findFirst().orElseThrow().token();
            if (!reuseInfrastructure) {
                startPostgres();
                startKafka();
            }
            if (options.services()) {
                startServices(kek, tokenServiceCredential);
                writeClusterProperties();
            }
            return this;
        } catch (ClusterException e) {
            stopStarted();
            throw e;
        } catch (IOException e) {
            stopStarted();
            throw new ClusterException("could not start the local cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopStarted();
            throw new ClusterException("interrupted while starting the local cluster", e);
        } catch (RuntimeException e) {
            stopStarted();
            throw e;
        }
    }

    /**
     * Checks that {@link #start()} can go ahead: valid options, nothing of this state dir running
     * (except PostgreSQL + Kafka of an {@code --infra-only} start on the same ports, which a start
     * with services reuses), service jars built, ports free.
     *
     * @throws ClusterException with a one-line reason otherwise
     */
    public void checkStartable() {
        preflight();
    }

    /** @return whether running PostgreSQL + Kafka are reused */
    private boolean preflight() {
        validate();
        ClusterStatus before = processStatus();
        boolean reuse = false;
        if (before.anyRunning()) {
            Options last = lastStartOptions(options);
            reuse = options.services()
                    && before.runningComponents().equals(Component.infrastructure())
                    && last.postgresPort() == options.postgresPort() && last.kafkaPort() == options.kafkaPort()
                    && last.accountId().equals(options.accountId());
            if (!reuse) {
                throw new ClusterException("the local cluster is already running in " + displayPath(stateDir())
                        + " (" + before.runningComponents().stream().map(Component::id)
                        .collect(Collectors.joining(", ")) + "); stop it first (./sts down)");
            }
        } else {
            Optional<ProcessHandle> orphan = orphanPostmaster();
            if (orphan.isPresent()) {
                throw new ClusterException("a PostgreSQL server from an earlier run is still running (pid "
                        + orphan.get().pid() + ", data " + postgresDataDir() + "); stop it first (./sts down)");
            }
        }
        if (options.services()) {
            for (Component s : Component.services()) {
                if (!Files.isRegularFile(options.serviceJar(s))) {
                    throw new ClusterException(s + " is not built (" + displayPath(options.serviceJar(s))
                            + " is missing); build with: ./mvnw -DskipTests install");
                }
            }
        }
        checkPortsFree(reuse);
        return reuse;
    }

    private void ensureTopics() throws InterruptedException {
        try (Admin admin = Topics.admin(endpoints().kafkaBootstrapServers(), Duration.ofSeconds(10))) {
            Topics.createMissing(admin, Topics.ALL.keySet(), Duration.ofSeconds(15));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ClusterException("kafka is running but does not answer: " + rootMessage(e));
        }
    }

    /** Stops only what this instance started (cleanup after a failed start). */
    private void stopStarted() {
        try {
            progress.accept("stopping what was started");
            Map<Component, ProcessHandle> services = new EnumMap<>(Component.class);
            for (Component s : Component.services()) {
                Optional.ofNullable(started.get(s)).filter(ProcessHandle::isAlive).ifPresent(h -> services.put(s, h));
            }
            List<Component> stopped = new ArrayList<>();
            stopAll(services, stopped);
            for (Component c : List.of(Component.KAFKA, Component.POSTGRES)) {
                ProcessHandle h = started.get(c);
                if (h != null && h.isAlive()) {
                    stopAll(new EnumMap<>(Map.of(c, h)), stopped);
                }
            }
            for (Component c : List.copyOf(started.keySet())) {
                Files.deleteIfExists(pidFile(c));
            }
            started.clear();
            launched.clear();
        } catch (IOException | RuntimeException ignored) {
            // the original failure matters more
        }
    }

    private void validate() {
        if (!ACCOUNT_ID.matcher(options.accountId()).matches()) {
            throw new ClusterException("account id '" + options.accountId() + "' is not 12 digits; set STS_ACCOUNT_ID");
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : portsToCheck().entrySet()) {
            int p = e.getValue();
            if (p < 1 || p > 65535) {
                throw new ClusterException("port " + p + " of " + e.getKey() + " is not a valid port");
            }
            String other = seen.putIfAbsent(p, e.getKey());
            if (other != null) {
                throw new ClusterException("port " + p + " is given to both " + other + " and " + e.getKey());
            }
        }
    }

    /** Component name (as in messages) to port, for the components this configuration starts. */
    private Map<String, Integer> portsToCheck() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("postgres", options.postgresPort());
        m.put("kafka", options.kafkaPort());
        m.put("kafka controller", options.kafkaControllerPort());
        if (options.services()) {
            for (Component s : Component.services()) {
                m.put(s.id(), options.port(s));
            }
        }
        return m;
    }

    /** The environment variable that sets a port, for error messages. */
    static String portVariable(String component) {
        return switch (component) {
            case "postgres" -> "STS_PG_PORT";
            case "kafka" -> "STS_KAFKA_PORT";
            case "kafka controller" -> "STS_KAFKA_CONTROLLER_PORT";
            case "role-service" -> "STS_ROLE_PORT";
            case "token-service" -> "STS_TOKEN_PORT";
            case "audit-service" -> "STS_AUDIT_PORT";
            default -> "its port";
        };
    }

    private void checkPortsFree(boolean infrastructureRunning) {
        for (Map.Entry<String, Integer> e : portsToCheck().entrySet()) {
            Component c = safeComponent(e.getKey());
            if (infrastructureRunning && (c == null || !c.isService())) {
                continue;
            }
            if (!isPortFree(e.getValue())) {
                throw new ClusterException("port " + e.getValue() + " is already in use (" + e.getKey() + "); set "
                        + portVariable(e.getKey()));
            }
        }
    }

    private static Component safeComponent(String name) {
        try {
            return Component.byId(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        int[] out = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(HOST, 0));
                sockets.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    private void writeClusterProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("postgres.port", String.valueOf(options.postgresPort()));
        p.setProperty("kafka.port", String.valueOf(options.kafkaPort()));
        p.setProperty("kafka.controller.port", String.valueOf(options.kafkaControllerPort()));
        p.setProperty("role-service.port", String.valueOf(options.rolePort()));
        p.setProperty("token-service.port", String.valueOf(options.tokenPort()));
        p.setProperty("audit-service.port", String.valueOf(options.auditPort()));
        p.setProperty("account.id", options.accountId());
        p.setProperty("services", String.valueOf(options.services()));
        try (OutputStream out = Files.newOutputStream(stateDir().resolve("cluster.properties"))) {
            p.store(out, "sts local cluster: the options of the last start");
        }
    }

    /**
     * The options of the last start in {@code stateDir} (ports, account, services), on top of
     * {@code base}; {@code base} itself if there is no record. Used by status and the CLI so a
     * cluster started with other ports is still found.
     */
    public static Options lastStartOptions(Options base) {
        Path file = base.stateDir().resolve("cluster.properties");
        if (!Files.isRegularFile(file)) {
            return base;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return base;
        }
        Options.Builder b = base.toBuilder();
        try {
            b.postgresPort(Integer.parseInt(p.getProperty("postgres.port", "" + base.postgresPort())));
            b.kafkaPort(Integer.parseInt(p.getProperty("kafka.port", "" + base.kafkaPort())));
            b.kafkaControllerPort(Integer.parseInt(
                    p.getProperty("kafka.controller.port", "" + base.kafkaControllerPort())));
            b.rolePort(Integer.parseInt(p.getProperty("role-service.port", "" + base.rolePort())));
            b.tokenPort(Integer.parseInt(p.getProperty("token-service.port", "" + base.tokenPort())));
            b.auditPort(Integer.parseInt(p.getProperty("audit-service.port", "" + base.auditPort())));
        } catch (NumberFormatException e) {
            return base;
        }
        b.accountId(p.getProperty("account.id", base.accountId()));
        b.services(Boolean.parseBoolean(p.getProperty("services", "" + base.services())));
        return b.build();
    }

    /** The token-service key-encryption key: 32 random bytes, base64, generated once (0600). */
    private String ensureKek() throws IOException {
        Path kek = stateDir().resolve("kek");
        if (Files.isRegularFile(kek)) {
            String v = Files.readString(kek, StandardCharsets.UTF_8).strip();
            if (!v.isEmpty()) {
                return v;
            }
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String v = Base64.getEncoder().encodeToString(key);
        Files2.writePrivate(kek, v + "\n");
        return v;
    }

    private Path postgresDataDir() {
        return stateDir().resolve("postgres");
    }

    private Path kafkaDir() {
        return stateDir().resolve("kafka");
    }

    private List<String> javaCommand(Component c, List<String> jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.javaExecutable());
        cmd.addAll(Processes.markers(c, stateDir()));
        cmd.addAll(jvmArgs);
        return cmd;
    }

    private static final List<String> SLF4J_SIMPLE = List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.logFile=System.out");

    private ProcessHandle launch(Component c, List<String> command, Map<String, String> env, Path workDir)
            throws IOException {
        checkAborted();
        Path log = logFile(c);
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(Processes.detached(command));
        pb.directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '/' ? "/dev/null" : "NUL")));
        Process p = pb.start();
        ProcessHandle h = p.toHandle();
        started.put(c, h);
        launched.put(c, p);
        Processes.writePid(pidFile(c), h.pid());
        progress.accept(c + ": started (pid " + h.pid() + "), log " + displayPath(log));
        return h;
    }

    /** A path relative to the repo root when it is inside it (for messages). */
    public String displayPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(options.repoRoot()) ? options.repoRoot().relativize(abs).toString() : abs.toString();
    }

    private void startPostgres() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<String> cmd = javaCommand(Component.POSTGRES,
                List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), PostgresMain.class.getName(),
                "--port", String.valueOf(options.postgresPort()), "--data", postgresDataDir().toString(),
                "--databases", String.join(",", Component.databases())));
        ProcessHandle h = launch(Component.POSTGRES, cmd, Map.of(), stateDir());
        long deadline = System.nanoTime() + options.infraReadyTimeout().toNanos();
        while (true) {
            if (logContains(logFile(Component.POSTGRES), PostgresMain.READY_MARKER)) {
                break;
            }
            failIfDead(Component.POSTGRES, h);
            failIfLate(Component.POSTGRES, deadline);
            Thread.sleep(200);
        }
        progress.accept("postgres: ready on " + HOST + ":" + options.postgresPort() + " in " + seconds(t0));
    }

    private void startKafka() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = kafkaDir();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, KafkaBrokerConfig.render(
                KafkaBrokerConfig.properties(options.kafkaPort(), options.kafkaControllerPort(), data)));
        Path idFile = dir.resolve("cluster-id");
        String clusterId;
        if (Files.isRegularFile(idFile)) {
            clusterId = Files.readString(idFile).strip();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(idFile, clusterId + "\n");
        }
        if (!Files.isRegularFile(data.resolve("meta.properties"))) {
            formatKafkaStorage(clusterId, props);
        }
        List<String> cmd = javaCommand(Component.KAFKA, List.of("-Xms256m", "-Xmx512m"));
        cmd.addAll(SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), "kafka.Kafka", props.toString()));
        ProcessHandle h = launch(Component.KAFKA, cmd, Map.of(), dir);

        long deadline = System.nanoTime() + options.infraReadyTimeout().toNanos();
        while (!canConnect(options.kafkaPort())) {
            failIfDead(Component.KAFKA, h);
            failIfLate(Component.KAFKA, deadline);
            Thread.sleep(200);
        }
        try (Admin admin = Topics.admin(endpoints().kafkaBootstrapServers(), Duration.ofSeconds(5))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    break;
                } catch (Exception e) {
                    failIfDead(Component.KAFKA, h);
                    failIfLate(Component.KAFKA, deadline);
                    Thread.sleep(200);
                }
            }
            progress.accept("kafka: ready on " + endpoints().kafkaBootstrapServers() + " in " + seconds(t0));
            while (true) {
                try {
                    List<String> created = Topics.createMissing(admin, Topics.ALL.keySet(), Duration.ofSeconds(15));
                    if (!created.isEmpty()) {
                        progress.accept("kafka: created topics " + String.join(", ", created));
                    }
                    break;
                } catch (Exception e) {
                    failIfDead(Component.KAFKA, h);
                    if (System.nanoTime() > deadline) {
                        throw new ClusterException("kafka: could not create the topics: " + rootMessage(e)
                                + logTail(Component.KAFKA));
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    private void formatKafkaStorage(String clusterId, Path props) throws IOException, InterruptedException {
        Path log = stateDir().resolve("logs").resolve("kafka-format.log");
        List<String> cmd = new ArrayList<>(List.of(options.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                props.toString(), "--ignore-formatted"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new ClusterException("kafka: formatting the storage took over 120 s" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new ClusterException("kafka: formatting the storage failed (exit " + p.exitValue() + ")" + tail(log));
        }
        progress.accept("kafka: formatted storage (cluster id " + clusterId + ")");
    }

    /**
     * The environment of a service process. Besides the basics: role-service treats token-service's
     * credential as an internal principal; role-service and audit-service verify session tokens with
     * token-service's JWKS; token-service gets its own credential for role-service.
     */
    Map<String, String> serviceEnvironment(Component s, String kek, String tokenServiceCredential) {
        Endpoints e = endpoints();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(options.port(s)));
        env.put("QUARKUS_HTTP_HOST", HOST);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", e.reactiveUrl(s.database()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", e.jdbcUrl(s.database()));
        env.put("QUARKUS_DATASOURCE_USERNAME", DB_USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", DB_PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", e.kafkaBootstrapServers());
        env.put("STS_ACCOUNT_ID", options.accountId());
        // A throw-away local cluster: its PostgreSQL password is a public default.
        env.put("STS_DEV_MODE", "true");
        env.put("STS_AUTH_STATIC_CREDENTIALS_FILE", staticCredentialsFile().toString());
        env.put("STS_AUTH_BOOTSTRAP_PRINCIPALS", DevCredentials.rootArn(options.accountId()));
        if (s == Component.TOKEN_SERVICE) {
            env.put("QUARKUS_GRPC_CLIENTS_ROLES_HOST", HOST);
            env.put("QUARKUS_GRPC_CLIENTS_ROLES_PORT", String.valueOf(options.rolePort()));
            env.put("STS_TOKEN_KEY_ENCRYPTION_KEY", kek);
            env.put("STS_TOKEN_ISSUER", tokenIssuer());
            env.put("STS_TOKEN_ROLE_SERVICE_CREDENTIAL", tokenServiceCredential);
        } else {
            env.put("STS_AUTH_JWKS_URL", jwksUrl());
            env.put("STS_AUTH_ISSUER", tokenIssuer());
        }
        if (s == Component.ROLE_SERVICE) {
            env.put("STS_AUTH_INTERNAL_PRINCIPALS", DevCredentials.TOKEN_SERVICE_PRINCIPAL);
        }
        env.putAll(options.serviceEnv());
        return env;
    }

    /** {@code http://127.0.0.1:<token port>}: the {@code iss} of session tokens. */
    public String tokenIssuer() {
        return "http://" + HOST + ":" + options.tokenPort();
    }

    /** token-service's JWK set, which role-service and audit-service verify session tokens with. */
    public String jwksUrl() {
        return tokenIssuer() + "/.well-known/jwks.json";
    }

    private void startServices(String kek, String tokenServiceCredential) throws IOException, InterruptedException {
        Map<Component, Long> launchedAt = new EnumMap<>(Component.class);
        Map<Component, ProcessHandle> handles = new EnumMap<>(Component.class);
        for (Component s : Component.services()) {
            List<String> cmd = javaCommand(s, options.serviceJvmArgs());
            cmd.addAll(List.of("-jar", options.serviceJar(s).toString()));
            handles.put(s, launch(s, cmd, serviceEnvironment(s, kek, tokenServiceCredential), stateDir().resolve("work").resolve(s.id())));
            launchedAt.put(s, System.nanoTime());
        }
        List<Component> pending = new ArrayList<>(Component.services());
        while (!pending.isEmpty()) {
            for (Component s : List.copyOf(pending)) {
                int code = healthStatus(options.port(s));
                if (code == 200) {
                    pending.remove(s);
                    progress.accept(s + ": ready on " + endpoints().baseUri(s) + " in " + seconds(launchedAt.get(s)));
                    continue;
                }
                failIfDead(s, handles.get(s));
                failIfLate(s, launchedAt.get(s) + options.serviceReadyTimeout().toNanos());
            }
            if (!pending.isEmpty()) {
                Thread.sleep(300);
            }
        }
    }

    private void failIfDead(Component c, ProcessHandle h) {
        checkAborted();
        if (!h.isAlive()) {
            Process p = launched.get(c);
            String exit = "";
            if (p != null) {
                try {
                    if (p.waitFor(2, TimeUnit.SECONDS)) {
                        exit = " (exit code " + p.exitValue() + ")";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new ClusterException(c + " exited during startup" + exit + logTail(c));
        }
    }

    private void failIfLate(Component c, long deadlineNanos) {
        if (System.nanoTime() > deadlineNanos) {
            String what = c.isService() ? "did not answer HTTP 200 on " + endpoints().baseUri(c) + HEALTH_PATH
                    + " within " + options.serviceReadyTimeout().toSeconds() + " s"
                    : "did not get ready within " + options.infraReadyTimeout().toSeconds() + " s";
            throw new ClusterException(c + " " + what + logTail(c));
        }
    }

    private String logTail(Component c) {
        return tail(logFile(c));
    }

    private String tail(Path log) {
        List<String> lines = Files2.tail(log, LOG_TAIL_LINES);
        if (lines.isEmpty()) {
            return " (" + displayPath(log) + " is empty)";
        }
        return "\n--- last " + lines.size() + " lines of " + displayPath(log) + " ---\n" + String.join("\n", lines)
                + "\n---";
    }

    private static boolean logContains(Path log, String marker) {
        return Files2.tail(log, 200).stream().anyMatch(l -> l.contains(marker));
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** HTTP status of {@code /q/health/ready}, or -1 if nothing answers. */
    private int healthStatus(int port) {
        try {
            HttpRequest req = HttpRequest.newBuilder(new URI("http", null, HOST, port, HEALTH_PATH, null, null))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | URISyntaxException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String seconds(long t0) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }

    // ------------------------------------------------------------------------------------------
    // stop / status
    // ------------------------------------------------------------------------------------------

    /**
     * Stops every component of this state directory: those this instance started and those recorded
     * in pid files by an earlier start (another JVM). Services first, then Kafka, then PostgreSQL.
     * SIGTERM, up to 20 s grace, then SIGKILL (descendants included). Also stops a PostgreSQL server
     * left behind by a killed PostgreSQL launcher. Idempotent.
     *
     * @return the components that were running and are now stopped
     */
    public synchronized List<Component> stop() {
        List<Component> stopped = new ArrayList<>();
        // services in parallel, then Kafka, then PostgreSQL
        Map<Component, ProcessHandle> services = new EnumMap<>(Component.class);
        for (Component s : Component.services()) {
            handleOf(s).ifPresent(h -> services.put(s, h));
        }
        stopAll(services, stopped);
        for (Component c : List.of(Component.KAFKA, Component.POSTGRES)) {
            Map<Component, ProcessHandle> one = new EnumMap<>(Component.class);
            handleOf(c).ifPresent(h -> one.put(c, h));
            stopAll(one, stopped);
        }
        orphanPostmaster().ifPresent(pm -> {
            progress.accept("postgres: stopping the PostgreSQL server left behind (pid " + pm.pid() + ")");
            Processes.terminate(List.of(pm), Duration.ofSeconds(20));
        });
        for (Component c : Component.values()) {
            try {
                Files.deleteIfExists(pidFile(c));
            } catch (IOException ignored) {
                // best effort
            }
        }
        started.clear();
        launched.clear();
        return stopped;
    }

    private void stopAll(Map<Component, ProcessHandle> handles, List<Component> stopped) {
        if (handles.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        handles.forEach((c, h) -> progress.accept(c + ": stopping (pid " + h.pid() + ")"));
        Processes.terminate(new ArrayList<>(handles.values()), Duration.ofSeconds(20));
        handles.forEach((c, h) -> {
            stopped.add(c);
            progress.accept(c + ": stopped in " + seconds(t0));
        });
    }

    private Optional<ProcessHandle> handleOf(Component c) {
        ProcessHandle mine = started.get(c);
        if (mine != null && mine.isAlive()) {
            return Optional.of(mine);
        }
        return Processes.fromPidFile(pidFile(c), c, stateDir());
    }

    /** A live postmaster of this state dir's data directory whose launcher JVM is gone. */
    private Optional<ProcessHandle> orphanPostmaster() {
        if (handleOf(Component.POSTGRES).isPresent()) {
            return Optional.empty();
        }
        return PostgresMain.postmasterPid(postgresDataDir().resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> Processes.commandLine(h).map(cmd -> cmd.contains("postgres")).orElse(true));
    }

    @Override
    public void close() {
        stop();
    }

    /** Which components run (pid files + liveness), without probing health. */
    public ClusterStatus processStatus() {
        List<ComponentStatus> out = new ArrayList<>();
        for (Component c : Component.values()) {
            Optional<ProcessHandle> h = handleOf(c);
            out.add(new ComponentStatus(c, h.isPresent(), h.map(ProcessHandle::pid).orElse(-1L),
                    h.isPresent() ? "running" : "stopped", ""));
        }
        return new ClusterStatus(stateDir(), out);
    }

    /**
     * Each component: running (pid alive) or stopped, and its health: PostgreSQL answers
     * {@code select 1}, Kafka describes its cluster, a service answers 200 on {@code /q/health/ready}.
     * Uses the ports of the last start recorded in the state dir.
     */
    public ClusterStatus status() {
        Options o = lastStartOptions(options);
        Endpoints e = endpointsOf(o);
        List<ComponentStatus> out = new ArrayList<>();
        for (Component c : Component.values()) {
            Optional<ProcessHandle> h = handleOf(c);
            String health;
            if (h.isEmpty()) {
                health = c == Component.POSTGRES && orphanPostmaster().isPresent()
                        ? "launcher gone, PostgreSQL still running (./sts down stops it)" : "-";
            } else {
                health = switch (c) {
                    case POSTGRES -> postgresHealth(e);
                    case KAFKA -> kafkaHealth(e);
                    default -> {
                        int code = healthStatus(e.port(c));
                        yield code == 200 ? "ready" : code < 0 ? "not answering" : "not ready (HTTP " + code + ")";
                    }
                };
            }
            out.add(new ComponentStatus(c, h.isPresent(), h.map(ProcessHandle::pid).orElse(-1L), health,
                    e.describe(c)));
        }
        return new ClusterStatus(stateDir(), out);
    }

    private static String postgresHealth(Endpoints e) {
        Properties p = new Properties();
        p.setProperty("user", DB_USER);
        p.setProperty("password", DB_PASSWORD);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "3");
        try (Connection c = DriverManager.getConnection(e.jdbcUrl("postgres"), p);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_database where datname in ('roles','tokens','audit')")) {
            rs.next();
            int n = rs.getInt(1);
            return n == 3 ? "ready" : "ready (" + n + " of 3 databases)";
        } catch (Exception ex) {
            return "not answering (" + rootMessage(ex) + ")";
        }
    }

    private static String kafkaHealth(Endpoints e) {
        if (!canConnect(e.kafkaPort())) {
            return "not answering";
        }
        try (Admin admin = Topics.admin(e.kafkaBootstrapServers(), Duration.ofSeconds(3))) {
            int nodes = admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).size();
            var topics = admin.listTopics().names().get(4, TimeUnit.SECONDS);
            long have = Topics.ALL.keySet().stream().filter(topics::contains).count();
            return "ready (" + nodes + " broker, " + have + " of " + Topics.ALL.size() + " topics)";
        } catch (Exception ex) {
            return "not answering (" + rootMessage(ex) + ")";
        }
    }

    // ------------------------------------------------------------------------------------------
    // defaults
    // ------------------------------------------------------------------------------------------

    /** The {@code java} of the current JVM. */
    public static String currentJava() {
        Optional<String> cmd = ProcessHandle.current().info().command();
        if (cmd.isPresent() && Files.isExecutable(Paths.get(cmd.get()))) {
            return cmd.get();
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The classpath of the PostgreSQL and Kafka processes: the jar of this class plus {@code lib/*}
     * beside it (the CLI layout); else {@code <root>/local-cluster/target} (jar or classes) plus
     * {@code target/lib/*}; else the classpath of this JVM.
     */
    public static String defaultClasspath(Path repoRoot) {
        String sep = File.pathSeparator;
        try {
            Path self = Paths.get(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && Files.isDirectory(self.resolveSibling("lib"))) {
                return self + sep + self.resolveSibling("lib") + File.separator + "*";
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        Path target = repoRoot.resolve("local-cluster").resolve("target");
        if (Files.isDirectory(target.resolve("lib"))) {
            Optional<Path> jar = Optional.empty();
            try (var s = Files.list(target)) {
                jar = s.filter(p -> p.getFileName().toString().matches("local-cluster-.*\\.jar")
                        && !p.getFileName().toString().endsWith("-sources.jar")
                        && !p.getFileName().toString().endsWith("-tests.jar")).findFirst();
            } catch (IOException ignored) {
                // fall through
            }
            Path classes = jar.orElse(target.resolve("classes"));
            if (Files.exists(classes)) {
                return classes + sep + target.resolve("lib") + File.separator + "*";
            }
        }
        return System.getProperty("java.class.path");
    }
}
