package dev.sts.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The local cluster: PostgreSQL, a KRaft Kafka broker and the three services, each a separate OS
 * process that keeps running after the launching JVM exits. This class orders the work: what
 * may start, in which order, what to clean up when a start fails; the work itself is done by
 * {@link PostgresProcess}, {@link KafkaProcess}, {@link ServiceProcesses} and {@link Supervisor},
 * in the directory described by {@link StateLayout}.
 *
 * <p>Typical use from a test:
 * <pre>{@code
 * try (LocalCluster cluster = new LocalCluster(ClusterOptions.builder(repoRoot)
 *         .stateDir(tmp).randomPorts().build()).start()) {
 *     URI roles = cluster.endpoints().roleService();
 *     String admin = cluster.token("admin");
 *     cluster.stop(Component.KAFKA);   // a broker outage
 *     cluster.start(Component.KAFKA);
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
    /** Everything listens on loopback. */
    public static final String HOST = Endpoints.HOST;

    private final ClusterOptions options;
    private final StateLayout layout;
    private final Supervisor supervisor;
    private final DevSecrets secrets;
    private final HealthProbe health = new HealthProbe();
    private volatile Consumer<String> progress = s -> { };

    public LocalCluster(ClusterOptions options) {
        this.options = Objects.requireNonNull(options);
        this.layout = new StateLayout(options.repoRoot(), options.stateDir());
        this.supervisor = new Supervisor(layout, line -> progress.accept(line));
        this.secrets = new DevSecrets(layout);
    }

    /** Progress lines ("postgres ready in 2.1 s") go to this listener; default: nowhere. */
    public LocalCluster onProgress(Consumer<String> listener) {
        this.progress = listener == null ? s -> { } : listener;
        return this;
    }

    public ClusterOptions options() {
        return options;
    }

    public Path stateDir() {
        return options.stateDir();
    }

    public StateLayout layout() {
        return layout;
    }

    public Endpoints endpoints() {
        return Endpoints.of(options);
    }

    public Path logFile(Component c) {
        return layout.logFile(c);
    }

    public Path pidFile(Component c) {
        return layout.pidFile(c);
    }

    /** {@code <state>/credentials/<name>.token} for {@code admin}, {@code ec2} or {@code intruder}. */
    public Path credentialFile(String name) {
        return layout.credentialFile(name);
    }

    public Path adminTokenFile() {
        return credentialFile("admin");
    }

    public Path staticCredentialsFile() {
        return layout.staticCredentialsFile();
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

    /** A path relative to the repo root when it is inside it (for messages). */
    public String displayPath(Path p) {
        return layout.displayPath(p);
    }

    /**
     * The options of the last start in {@code base}'s state dir (ports, account, services), on top
     * of {@code base}; {@code base} itself if there is no record. Used by status and the CLI so a
     * cluster started with other ports is still found.
     */
    public static ClusterOptions lastStartOptions(ClusterOptions base) {
        return ClusterRecord.lastStart(base);
    }

    // ------------------------------------------------------------------------------------------
    // the whole cluster
    // ------------------------------------------------------------------------------------------

    /**
     * Makes a {@link #start()} running in another thread give up at its next step: it then stops what
     * it started and throws. For Ctrl+C handling; returns at once.
     */
    public void abort() {
        supervisor.abort();
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
        supervisor.clearAbort();
        boolean reuseInfrastructure = preflight();
        try {
            Files.createDirectories(layout.logsDir());
            Files.createDirectories(layout.pidsDir());
            secrets.kek();
            secrets.databasePasswords();
            if (reuseInfrastructure) {
                progress.accept("postgres and kafka are already running: starting the services on them");
                kafka().ensureTopics();
            } else {
                ClusterRecord.write(options, layout.clusterPropertiesFile());
            }
            DevCredentials.write(stateDir(), DevCredentials.generate(options.accountId()));
            DevAwsCredentials.write(layout, options.accountId(), endpoints());
            if (!reuseInfrastructure) {
                new PostgresProcess(options, layout, supervisor, secrets).start(progress);
                kafka().start(progress);
            }
            if (options.services()) {
                services().start(Component.services(), progress);
                ClusterRecord.write(options, layout.clusterPropertiesFile());
            }
            return this;
        } catch (ClusterException e) {
            cleanUpAfterFailedStart();
            throw e;
        } catch (IOException e) {
            cleanUpAfterFailedStart();
            throw new ClusterException("could not start the local cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cleanUpAfterFailedStart();
            throw new ClusterException("interrupted while starting the local cluster", e);
        } catch (RuntimeException e) {
            cleanUpAfterFailedStart();
            throw e;
        }
    }

    private KafkaProcess kafka() {
        return new KafkaProcess(options, layout, supervisor);
    }

    private ServiceProcesses services() {
        return new ServiceProcesses(options, layout, supervisor, secrets, health);
    }

    private void cleanUpAfterFailedStart() {
        try {
            progress.accept("stopping what was started");
            supervisor.stopStarted();
        } catch (RuntimeException ignored) {
            // the original failure matters more
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
        Ports.validate(options);
        ClusterStatus before = processStatus();
        boolean reuse = false;
        if (before.anyRunning()) {
            ClusterOptions last = lastStartOptions(options);
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
            Optional<ProcessHandle> orphan = supervisor.orphanPostmaster();
            if (orphan.isPresent()) {
                throw new ClusterException("a PostgreSQL server from an earlier run is still running (pid "
                        + orphan.get().pid() + ", data " + layout.postgresDataDir() + "); stop it first (./sts down)");
            }
        }
        if (options.services()) {
            services().checkBuilt(Component.services());
        }
        Map<String, Integer> ports = Ports.portsOf(options);
        if (reuse) {
            ports.keySet().removeIf(name -> !Component.services().stream().map(Component::id).toList().contains(name));
        }
        Ports.checkFree(ports);
        return reuse;
    }

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
        supervisor.stopTogether(Component.services(), stopped);
        supervisor.stopTogether(List.of(Component.KAFKA), stopped);
        supervisor.stopTogether(List.of(Component.POSTGRES), stopped);
        supervisor.stopOrphanPostmaster();
        return stopped;
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------------------------------
    // one component
    // ------------------------------------------------------------------------------------------

    /**
     * Stops one component and leaves the others running, e.g. the broker for an outage. Uses the
     * pid file, so it works on a cluster another JVM started.
     *
     * @return whether it was running
     */
    public synchronized boolean stop(Component c) {
        List<Component> stopped = new ArrayList<>();
        supervisor.stopTogether(List.of(c), stopped);
        if (c == Component.POSTGRES) {
            supervisor.stopOrphanPostmaster();
        }
        return !stopped.isEmpty();
    }

    /**
     * Starts one stopped component of a cluster that was started before, on the ports and with the
     * credentials of that start, and waits until it is ready. Kafka comes back with its data and
     * makes sure every topic exists; a service gets the same environment as at {@code up}.
     *
     * @throws ClusterException if it is already running, the cluster was never started here, its
     *                          port is taken, or it does not get ready in time
     */
    public synchronized void start(Component c) {
        supervisor.clearAbort();
        Optional<ProcessHandle> running = supervisor.handleOf(c);
        if (running.isPresent()) {
            throw new ClusterException(c + " is already running (pid " + running.get().pid() + ")");
        }
        if (!Files.isRegularFile(layout.clusterPropertiesFile())) {
            throw new ClusterException("the local cluster was never started in " + displayPath(stateDir())
                    + "; start it with ./sts up");
        }
        Ports.checkFree(Ports.portsOf(options, c));
        try {
            switch (c) {
                case POSTGRES -> new PostgresProcess(options, layout, supervisor, secrets).start(progress);
                case KAFKA -> kafka().start(progress);
                default -> {
                    services().checkBuilt(List.of(c));
                    services().start(List.of(c), progress);
                }
            }
        } catch (IOException e) {
            throw new ClusterException("could not start " + c + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while starting " + c, e);
        } catch (RuntimeException e) {
            supervisor.stopStarted();
            throw e;
        }
    }

    /** {@link #stop(Component)}, then {@link #start(Component)}: a component's outage, ended. */
    public synchronized void restart(Component c) {
        stop(c);
        start(c);
    }

    // ------------------------------------------------------------------------------------------
    // status
    // ------------------------------------------------------------------------------------------

    /** Which components run (pid files + liveness), without probing health. */
    public ClusterStatus processStatus() {
        List<ComponentStatus> out = new ArrayList<>();
        for (Component c : Component.values()) {
            Optional<ProcessHandle> h = supervisor.handleOf(c);
            out.add(new ComponentStatus(c, h.isPresent(), h.map(ProcessHandle::pid).orElse(-1L),
                    h.isPresent() ? "running" : "stopped", ""));
        }
        return new ClusterStatus(stateDir(), out);
    }

    /**
     * Each component: running (pid alive) or stopped, and its health: PostgreSQL answers
     * a query, Kafka describes its cluster, a service answers 200 on {@code /q/health/ready}.
     * Uses the ports of the last start recorded in the state dir.
     */
    public ClusterStatus status() {
        Endpoints e = Endpoints.of(lastStartOptions(options));
        List<ComponentStatus> out = new ArrayList<>();
        for (Component c : Component.values()) {
            Optional<ProcessHandle> h = supervisor.handleOf(c);
            String state;
            if (h.isEmpty()) {
                state = c == Component.POSTGRES && supervisor.orphanPostmaster().isPresent()
                        ? "launcher gone, PostgreSQL still running (./sts down stops it)" : "-";
            } else {
                state = switch (c) {
                    case POSTGRES -> health.postgres(e);
                    case KAFKA -> health.kafka(e);
                    default -> health.service(e.port(c));
                };
            }
            out.add(new ComponentStatus(c, h.isPresent(), h.map(ProcessHandle::pid).orElse(-1L), state,
                    e.describe(c)));
        }
        return new ClusterStatus(stateDir(), out);
    }
}
