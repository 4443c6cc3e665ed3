package dev.sts.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the local cluster needs to start. Build with {@link #builder(Path)}.
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
public record ClusterOptions(Path repoRoot, Path stateDir, int postgresPort, int kafkaPort, int kafkaControllerPort,
        int rolePort, int tokenPort, int auditPort, String accountId, String javaExecutable, String classpath,
        boolean services, List<String> serviceJvmArgs, Map<String, String> serviceEnv,
        Duration serviceReadyTimeout, Duration infraReadyTimeout) {

    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_ROLE_PORT = 8081;
    public static final int DEFAULT_TOKEN_PORT = 8082;
    public static final int DEFAULT_AUDIT_PORT = 8083;

    public ClusterOptions {
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
    public static ClusterOptions defaults(Path repoRoot) {
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
            int[] p = Ports.freePorts(6);
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

        public ClusterOptions build() {
            Path state = stateDir != null ? stateDir : repoRoot.resolve(".sts");
            int controller = kafkaControllerPort > 0 ? kafkaControllerPort
                    : (kafkaPort == DEFAULT_KAFKA_PORT ? DEFAULT_KAFKA_CONTROLLER_PORT : kafkaPort + 1);
            String java = javaExecutable != null ? javaExecutable : JavaRuntime.currentJava();
            String cp = classpath != null ? classpath : JavaRuntime.defaultClasspath(repoRoot);
            return new ClusterOptions(repoRoot, state, postgresPort, kafkaPort, controller, rolePort, tokenPort,
                    auditPort, accountId, java, cp, services, serviceJvmArgs, serviceEnv,
                    serviceReadyTimeout, infraReadyTimeout);
        }
    }
}
