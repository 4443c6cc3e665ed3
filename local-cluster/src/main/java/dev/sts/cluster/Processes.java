package dev.sts.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Pid files and stopping processes (SIGTERM, grace period, then SIGKILL, descendants included). */
final class Processes {
    /** Every process the launcher starts carries these system properties, so a pid file is verifiable. */
    static final String COMPONENT_MARKER = "-Dsts-local-cluster.component=";
    static final String STATE_MARKER = "-Dsts-local-cluster.state=";

    private static final Path SETSID = Paths.get("/usr/bin/setsid");

    private Processes() {
    }

    static List<String> markers(Component c, Path stateDir) {
        return List.of(COMPONENT_MARKER + c.id(), STATE_MARKER + stateDir.toAbsolutePath());
    }

    /**
     * The command, detached into its own session where {@code setsid} exists so that closing the
     * terminal or Ctrl+C in it does not reach the cluster. A child of the JVM is no process-group
     * leader, so {@code setsid} execs in place and the pid stays the pid of the real process.
     */
    static List<String> detached(List<String> command) {
        if (Files.isExecutable(SETSID)) {
            List<String> out = new ArrayList<>();
            out.add(SETSID.toString());
            out.addAll(command);
            return out;
        }
        return command;
    }

    static void writePid(Path pidFile, long pid) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, pid + "\n", StandardCharsets.UTF_8);
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process of a pid file, if it is alive and (where the command line is readable) ours. */
    static Optional<ProcessHandle> fromPidFile(Path pidFile, Component c, Path stateDir) {
        return readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> isOurs(h, c, stateDir));
    }

    static boolean isOurs(ProcessHandle h, Component c, Path stateDir) {
        Optional<String> cmd = commandLine(h);
        if (cmd.isEmpty()) {
            return true; // cannot tell: trust the pid file
        }
        return markers(c, stateDir).stream().allMatch(cmd.get()::contains);
    }

    static Optional<String> commandLine(ProcessHandle h) {
        Path proc = Paths.get("/proc", Long.toString(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                byte[] b = Files.readAllBytes(proc);
                if (b.length > 0) {
                    return Optional.of(new String(b, StandardCharsets.UTF_8).replace('\0', ' '));
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return h.info().commandLine();
    }

    /** Sends SIGTERM to each process, then waits; stragglers and their descendants get SIGKILL. */
    static void terminate(List<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle h : processes) {
            // collect descendants first: once the parent is gone they are re-parented and lost
            h.descendants().forEach(all::add);
        }
        for (ProcessHandle h : processes) {
            h.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : processes) {
            waitFor(h, deadline);
            if (h.isAlive()) {
                h.destroyForcibly();
                waitFor(h, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            }
        }
        for (ProcessHandle d : all) {
            if (d.isAlive()) {
                d.destroy();
                waitFor(d, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
                if (d.isAlive()) {
                    d.destroyForcibly();
                }
            }
        }
    }

    static boolean waitFor(ProcessHandle h, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return !h.isAlive();
        }
        try {
            h.onExit().get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !h.isAlive();
        }
    }
}
