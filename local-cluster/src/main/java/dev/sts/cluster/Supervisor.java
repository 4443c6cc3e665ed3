package dev.sts.cluster;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Supervises the OS processes of one state directory: launches a component detached from the
 * launcher (log file, pid file), waits until it is ready or fails with the tail of its log, and
 * stops it (SIGTERM, grace period, SIGKILL). Finds processes started by another JVM through their
 * pid files, so {@code ./sts down} and {@code ./sts restart} work from a fresh command.
 */
final class Supervisor {
    private static final int LOG_TAIL_LINES = 30;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final StateLayout layout;
    private final Consumer<String> progress;
    private final Map<Component, ProcessHandle> started = Collections.synchronizedMap(new EnumMap<>(Component.class));
    private final Map<Component, Process> launched = Collections.synchronizedMap(new EnumMap<>(Component.class));
    private volatile boolean aborted;

    Supervisor(StateLayout layout, Consumer<String> progress) {
        this.layout = layout;
        this.progress = progress;
    }

    /** Makes the next launch or readiness check throw: for Ctrl+C during a start. */
    void abort() {
        aborted = true;
    }

    void clearAbort() {
        aborted = false;
    }

    void checkAborted() {
        if (aborted) {
            throw new ClusterException("start aborted");
        }
    }

    /** The command line of a JVM component: java, the markers that make its pid file verifiable, JVM options. */
    List<String> javaCommand(String javaExecutable, Component c, List<String> jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable);
        cmd.addAll(Processes.markers(c, layout.stateDir()));
        cmd.addAll(jvmArgs);
        return cmd;
    }

    /** Starts a component detached, output appended to its log (the previous log kept as {@code .log.1}). */
    ProcessHandle launch(Component c, List<String> command, Map<String, String> env, Path workDir) throws IOException {
        checkAborted();
        Path log = layout.logFile(c);
        Files.createDirectories(log.getParent());
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
        Processes.writePid(layout.pidFile(c), h.pid());
        progress.accept(c + ": started (pid " + h.pid() + "), log " + layout.displayPath(log));
        return h;
    }

    /**
     * Waits until {@code ready} is true, polling; fails at once when the process dies and after
     * {@code timeout} with the tail of its log.
     */
    void awaitReady(Component c, ProcessHandle h, Duration timeout, String lateMessage, Callable<Boolean> ready) {
        try {
            await(c + " ready").atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        failIfDead(c, h);
                        return ready.call();
                    });
        } catch (ConditionTimeoutException e) {
            throw new ClusterException(c + " " + lateMessage + logTail(c));
        } catch (RuntimeException e) {
            if (!(e instanceof ClusterException) && e.getCause() instanceof ClusterException cause) {
                throw cause; // in case the await wrapped the failure the condition threw
            }
            throw e;
        }
    }

    void failIfDead(Component c, ProcessHandle h) {
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

    String logTail(Component c) {
        return tail(layout.logFile(c));
    }

    String tail(Path log) {
        List<String> lines = Files2.tail(log, LOG_TAIL_LINES);
        if (lines.isEmpty()) {
            return " (" + layout.displayPath(log) + " is empty)";
        }
        return "\n--- last " + lines.size() + " lines of " + layout.displayPath(log) + " ---\n"
                + String.join("\n", lines) + "\n---";
    }

    static boolean logContains(Path log, String marker) {
        return Files2.tail(log, 200).stream().anyMatch(l -> l.contains(marker));
    }

    /** The running process of a component: started here, or found through its pid file. */
    Optional<ProcessHandle> handleOf(Component c) {
        ProcessHandle mine = started.get(c);
        if (mine != null && mine.isAlive()) {
            return Optional.of(mine);
        }
        return Processes.fromPidFile(layout.pidFile(c), c, layout.stateDir());
    }

    /** Stops these components together (in parallel) and removes their pid files. */
    void stopTogether(List<Component> components, List<Component> stopped) {
        Map<Component, ProcessHandle> handles = new EnumMap<>(Component.class);
        for (Component c : components) {
            handleOf(c).ifPresent(h -> handles.put(c, h));
        }
        terminate(handles, stopped);
        forget(components);
    }

    /** Stops only what this instance started (cleanup after a failed start): services, Kafka, PostgreSQL. */
    void stopStarted() {
        List<Component> stopped = new ArrayList<>();
        Map<Component, ProcessHandle> services = new EnumMap<>(Component.class);
        for (Component s : Component.services()) {
            Optional.ofNullable(started.get(s)).filter(ProcessHandle::isAlive).ifPresent(h -> services.put(s, h));
        }
        terminate(services, stopped);
        for (Component c : List.of(Component.KAFKA, Component.POSTGRES)) {
            ProcessHandle h = started.get(c);
            if (h != null && h.isAlive()) {
                terminate(new EnumMap<>(Map.of(c, h)), stopped);
            }
        }
        forget(List.copyOf(started.keySet()));
    }

    private void terminate(Map<Component, ProcessHandle> handles, List<Component> stopped) {
        if (handles.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        handles.forEach((c, h) -> progress.accept(c + ": stopping (pid " + h.pid() + ")"));
        Processes.terminate(new ArrayList<>(handles.values()), STOP_GRACE);
        handles.forEach((c, h) -> {
            stopped.add(c);
            progress.accept(c + ": stopped in " + Durations.since(t0));
        });
    }

    private void forget(List<Component> components) {
        for (Component c : components) {
            started.remove(c);
            launched.remove(c);
            try {
                Files.deleteIfExists(layout.pidFile(c));
            } catch (IOException ignored) {
                // best effort: a stale pid file is verified before use anyway
            }
        }
    }

    /** A live postmaster of this state dir's data directory whose launcher JVM is gone. */
    Optional<ProcessHandle> orphanPostmaster() {
        if (handleOf(Component.POSTGRES).isPresent()) {
            return Optional.empty();
        }
        return PostgresMain.postmasterPid(layout.postgresDataDir().resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> Processes.commandLine(h).map(cmd -> cmd.contains("postgres")).orElse(true));
    }

    void stopOrphanPostmaster() {
        orphanPostmaster().ifPresent(pm -> {
            progress.accept("postgres: stopping the PostgreSQL server left behind (pid " + pm.pid() + ")");
            Processes.terminate(List.of(pm), STOP_GRACE);
        });
    }
}
