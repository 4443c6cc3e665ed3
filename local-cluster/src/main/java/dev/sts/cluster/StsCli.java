package dev.sts.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./sts}: the local cluster launcher.
 *
 * <pre>
 *   sts up [--infra-only]     start PostgreSQL, Kafka and the three services
 *   sts down                  stop everything (also what an earlier `up` left running)
 *   sts status                what runs, and whether it is healthy
 *   sts logs SERVICE [-f]     print or follow a component's log
 *   sts restart COMPONENT     stop and start one component (e.g. kafka: a broker outage)
 *   sts stop COMPONENT        stop one component, the others keep running
 *   sts start COMPONENT       start a component stopped with `stop`
 * </pre>
 */
@Command(name = "sts", mixinStandardHelpOptions = true, version = "sts local cluster 0.1.0",
        description = "Runs the sts services locally with a real PostgreSQL and Kafka (no Docker).",
        subcommands = {StsCli.Up.class, StsCli.Down.class, StsCli.Status.class, StsCli.Logs.class,
                StsCli.Restart.class, StsCli.Stop.class, StsCli.Start.class, CommandLine.HelpCommand.class})
public final class StsCli implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // quiet client libraries (Kafka admin client, zonky) on the console; the processes log to files
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new StsCli());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof ClusterException) {
                err.println("sts: " + ex.getMessage());
            } else {
                err.println("sts: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
                if (System.getenv("STS_DEBUG") != null) {
                    ex.printStackTrace(err);
                } else {
                    err.println("     (set STS_DEBUG=1 for the stack trace)");
                }
            }
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Options every subcommand shares: where things are, ports, account. */
    static final class CommonOptions {
        @Option(names = "--root", defaultValue = "${env:STS_ROOT:-.}",
                description = "Repository root (service jars are found there). Env STS_ROOT. Default: current directory.")
        Path root;

        @Option(names = "--state-dir", defaultValue = "${env:STS_STATE_DIR}",
                description = "State directory (data, logs, pids, credentials). Env STS_STATE_DIR. Default: <root>/.sts")
        Path stateDir;

        @Option(names = "--pg-port", defaultValue = "${env:STS_PG_PORT:-15432}",
                description = "PostgreSQL port. Env STS_PG_PORT. Default: ${DEFAULT-VALUE}")
        int pgPort;

        @Option(names = "--kafka-port", defaultValue = "${env:STS_KAFKA_PORT:-19092}",
                description = "Kafka port. Env STS_KAFKA_PORT. Default: ${DEFAULT-VALUE}")
        int kafkaPort;

        @Option(names = "--kafka-controller-port", defaultValue = "${env:STS_KAFKA_CONTROLLER_PORT:--1}",
                description = "Kafka controller port. Env STS_KAFKA_CONTROLLER_PORT. Default: 19093 (Kafka port + 1)")
        int kafkaControllerPort;

        @Option(names = "--role-port", defaultValue = "${env:STS_ROLE_PORT:-8081}",
                description = "role-service port. Env STS_ROLE_PORT. Default: ${DEFAULT-VALUE}")
        int rolePort;

        @Option(names = "--token-port", defaultValue = "${env:STS_TOKEN_PORT:-8082}",
                description = "token-service port. Env STS_TOKEN_PORT. Default: ${DEFAULT-VALUE}")
        int tokenPort;

        @Option(names = "--audit-port", defaultValue = "${env:STS_AUDIT_PORT:-8083}",
                description = "audit-service port. Env STS_AUDIT_PORT. Default: ${DEFAULT-VALUE}")
        int auditPort;

        @Option(names = "--account-id", defaultValue = "${env:STS_ACCOUNT_ID:-000000000000}",
                description = "Account id of the local partition. Env STS_ACCOUNT_ID. Default: ${DEFAULT-VALUE}")
        String accountId;

        ClusterOptions.Builder builder() {
            Path r = root.toAbsolutePath().normalize();
            ClusterOptions.Builder b = ClusterOptions.builder(r)
                    .stateDir(stateDir != null ? stateDir.toAbsolutePath().normalize() : null)
                    .postgresPort(pgPort).kafkaPort(kafkaPort).kafkaControllerPort(kafkaControllerPort)
                    .rolePort(rolePort).tokenPort(tokenPort).auditPort(auditPort).accountId(accountId);
            String jvm = System.getenv("STS_SERVICE_JAVA_OPTS");
            if (jvm != null && !jvm.isBlank()) {
                b.serviceJvmArgs(List.of(jvm.trim().split("\\s+")));
            }
            return b;
        }

        LocalCluster cluster(boolean services) {
            return new LocalCluster(builder().services(services).build());
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start PostgreSQL, Kafka and the services as background processes.")
    static final class Up implements Callable<Integer> {
        @Mixin
        CommonOptions cluster;

        @Option(names = "--infra-only", description = "Start PostgreSQL and Kafka only, no services.")
        boolean infraOnly;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster lc = cluster.cluster(!infraOnly);
            ClusterStatus st = lc.processStatus();
            List<Component> wanted = lc.options().components();
            if (st.anyRunning() && st.runningComponents().containsAll(wanted)) {
                LocalCluster last = new LocalCluster(LocalCluster.lastStartOptions(lc.options()));
                out.println("the local cluster is already running (state " + lc.displayPath(lc.stateDir()) + ")");
                out.println();
                printTable(out, last, last.processStatus());
                printCredentialsHint(out, last, last.processStatus());
                return 0;
            }
            lc.checkStartable(); // one-line reasons: port in use, not built, partly running
            long t0 = System.nanoTime();
            out.println("starting the local cluster" + (infraOnly ? " (PostgreSQL and Kafka only)" : "")
                    + ", state in " + lc.displayPath(lc.stateDir()));
            out.flush();
            lc.onProgress(line -> {
                out.println("  " + line);
                out.flush();
            });
            // Ctrl+C / SIGTERM while starting: make start() stop what it started before the JVM exits
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Thread abort = new Thread(() -> {
                if (!done.get()) {
                    System.err.println();
                    System.err.println("interrupted: stopping what was started");
                    lc.abort();
                    try {
                        finished.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "sts-up-abort");
            Runtime.getRuntime().addShutdownHook(abort);
            try {
                lc.start();
            } finally {
                done.set(true);
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(abort);
                } catch (IllegalStateException ignored) {
                    // already shutting down
                }
            }
            out.printf(Locale.ROOT, "%nthe local cluster is up (%.1f s)%n%n", (System.nanoTime() - t0) / 1e9);
            printTable(out, lc, lc.processStatus());
            printCredentialsHint(out, lc, lc.processStatus());
            return 0;
        }
    }

    static void printTable(PrintWriter out, LocalCluster lc, ClusterStatus st) {
        Endpoints e = lc.endpoints();
        out.printf("  %-14s %-8s %s%n", "COMPONENT", "PID", "ENDPOINT");
        for (ComponentStatus s : st.components()) {
            if (!s.running()) {
                continue;
            }
            out.printf("  %-14s %-8s %s%n", s.component().id(), s.pid(), e.describe(s.component()));
        }
        if (st.running(Component.TOKEN_SERVICE)) {
            out.printf("  %-14s %-8s %s%n", "", "", "issuer http://" + e.hostPort(Component.TOKEN_SERVICE));
        }
        out.flush();
    }

    static void printCredentialsHint(PrintWriter out, LocalCluster lc, ClusterStatus st) {
        out.println();
        String token = lc.displayPath(lc.adminTokenFile());
        out.println("admin token (" + DevCredentials.rootArn(lc.options().accountId()) + "): " + token
                + "   (also ec2.token, intruder.token)");
        if (st.running(Component.ROLE_SERVICE)) {
            out.println("  export STS_TOKEN=$(cat " + token + ")   # then send 'Authorization: Bearer $STS_TOKEN' to "
                    + lc.endpoints().roleService() + " etc.; './sts down' stops everything");
            out.println("AWS CLI (profiles sts-admin, sts-developer, sts-ec2; each API at its service):");
            DevAwsCredentials.usage(lc.layout()).forEach(line -> out.println("  " + line));
        } else {
            out.println("  services not started (--infra-only): './sts up' starts them on this PostgreSQL and Kafka;"
                    + " './sts down' stops everything");
        }
        out.flush();
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop everything the local cluster started (idempotent).")
    static final class Down implements Callable<Integer> {
        @Mixin
        CommonOptions cluster;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster lc = cluster.cluster(true);
            lc.onProgress(line -> {
                out.println("  " + line);
                out.flush();
            });
            long t0 = System.nanoTime();
            List<Component> stopped = lc.stop();
            if (stopped.isEmpty()) {
                out.println("the local cluster is not running (state " + lc.displayPath(lc.stateDir()) + ")");
            } else {
                out.printf(Locale.ROOT, "the local cluster is stopped (%.1f s); data stays in %s%n",
                        (System.nanoTime() - t0) / 1e9, lc.displayPath(lc.stateDir()));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show which components run and whether they are healthy.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions cluster;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster lc = cluster.cluster(true);
            ClusterStatus st = lc.status();
            out.printf("  %-14s %-8s %-8s %-34s %s%n", "COMPONENT", "STATE", "PID", "HEALTH", "ENDPOINT");
            for (ComponentStatus s : st.components()) {
                out.printf("  %-14s %-8s %-8s %-34s %s%n", s.component().id(), s.running() ? "running" : "stopped",
                        s.running() ? String.valueOf(s.pid()) : "-", s.health(), s.endpoint());
            }
            out.println();
            out.println("state " + lc.displayPath(lc.stateDir()) + (st.anyRunning()
                    ? "; admin token " + lc.displayPath(lc.adminTokenFile()) : "; not running (./sts up)"));
            out.flush();
            return 0;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Print (or follow with -f) the log of postgres, kafka, role-service, token-service or audit-service.")
    static final class Logs implements Callable<Integer> {
        @Mixin
        CommonOptions cluster;

        @Parameters(index = "0", paramLabel = "SERVICE",
                completionCandidates = ComponentNames.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String component;

        @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended (Ctrl+C to stop).")
        boolean follow;

        @Option(names = {"-n", "--lines"}, paramLabel = "N",
                description = "Print only the last N lines first (default: the whole log).")
        Integer lines;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Component c;
            try {
                c = Component.byId(component);
            } catch (IllegalArgumentException e) {
                throw new ClusterException(e.getMessage());
            }
            LocalCluster lc = cluster.cluster(true);
            Path log = lc.logFile(c);
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(log) && !follow) {
                throw new ClusterException("no log for " + c + " yet (" + lc.displayPath(log) + "); start with ./sts up");
            }
            long pos = 0;
            if (Files.exists(log)) {
                if (lines != null) {
                    Files2.tail(log, lines).forEach(out::println);
                    pos = Files.size(log);
                } else {
                    pos = copy(log, 0, out);
                }
            }
            out.flush();
            while (follow) {
                Thread.sleep(250);
                if (!Files.exists(log)) {
                    continue;
                }
                long size = Files.size(log);
                if (size < pos) {
                    pos = 0; // rotated by a new `up`
                }
                if (size > pos) {
                    pos = copy(log, pos, out);
                    out.flush();
                }
            }
            return 0;
        }

        private static long copy(Path log, long from, PrintWriter out) throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                f.seek(from);
                byte[] buf = new byte[64 * 1024];
                long pos = from;
                int n;
                java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
                while ((n = f.read(buf)) > 0) {
                    pending.write(buf, 0, n);
                    pos += n;
                    if (pending.size() > 1 << 20) {
                        out.print(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                    }
                }
                out.print(pending.toString(StandardCharsets.UTF_8));
                return pos;
            }
        }
    }

    /** A running cluster's options (ports of its last start) and one of its components, by name. */
    abstract static class ComponentCommand implements Callable<Integer> {
        @Mixin
        CommonOptions cluster;

        @Parameters(index = "0", paramLabel = "COMPONENT", completionCandidates = ComponentNames.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String component;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Component c;
            try {
                c = Component.byId(component);
            } catch (IllegalArgumentException e) {
                throw new ClusterException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster base = cluster.cluster(true);
            LocalCluster lc = new LocalCluster(LocalCluster.lastStartOptions(base.options()));
            lc.onProgress(line -> {
                out.println("  " + line);
                out.flush();
            });
            long t0 = System.nanoTime();
            String done = run(lc, c);
            out.printf(Locale.ROOT, "%s (%.1f s)%n", done, (System.nanoTime() - t0) / 1e9);
            out.flush();
            return 0;
        }

        /** Does the work and says what was done. */
        abstract String run(LocalCluster lc, Component c);
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Stop one component and start it again on the same ports, the others keep running "
                    + "(e.g. `restart kafka`: a broker outage and its end).")
    static final class Restart extends ComponentCommand {
        @Override
        String run(LocalCluster lc, Component c) {
            lc.restart(c);
            return c + " restarted";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop one component, the others keep running (`./sts start` brings it back; "
                    + "`./sts down` stops everything).")
    static final class Stop extends ComponentCommand {
        @Override
        String run(LocalCluster lc, Component c) {
            return lc.stop(c) ? c + " stopped" : c + " was not running";
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start one stopped component of a cluster started with `./sts up`, on its ports.")
    static final class Start extends ComponentCommand {
        @Override
        String run(LocalCluster lc, Component c) {
            lc.start(c);
            return c + " started";
        }
    }

    /** Completion candidates (and help text) for {@code logs}. */
    static final class ComponentNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Component.values()).map(Component::id).iterator();
        }
    }
}
