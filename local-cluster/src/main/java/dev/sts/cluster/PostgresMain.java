package dev.sts.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL process of the local cluster: a small JVM that runs the zonky PostgreSQL binaries
 * on a persistent data directory, creates the service databases and login roles if missing
 * ({@link DatabaseRoles}; passwords from the environment), prints
 * {@value #READY_MARKER} and stays alive until SIGTERM, when it stops PostgreSQL cleanly
 * ({@code pg_ctl stop -m fast}).
 *
 * <pre>java -cp ... dev.sts.cluster.PostgresMain --port 15432 --data .sts/postgres [--databases roles,tokens,audit]</pre>
 */
public final class PostgresMain {
    public static final String READY_MARKER = "STS-POSTGRES-READY";

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        Path data = null;
        List<String> databases = new ArrayList<>(Component.databases());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Paths.get(args[++i]).toAbsolutePath();
                case "--databases" -> databases = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: PostgresMain --port PORT --data DIR [--databases a,b,c]");
                    System.exit(2);
                }
            }
        }
        if (port <= 0 || data == null) {
            System.err.println("usage: PostgresMain --port PORT --data DIR [--databases a,b,c]");
            System.exit(2);
        }
        Files.createDirectories(data);

        long t0 = System.nanoTime();
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The embedded binaries' launcher starts PostgreSQL for throw-away test databases:
                // "-F" (fsync off) and synchronous_commit=off. The local cluster keeps state across
                // restarts and is what the benchmarks measure, so commits are durable here as on
                // any real server: these settings come after "-F" on the command line and win.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // Sized for the audit log's steady appends (docs/adr/029): with the defaults (128 MB
                // of buffers, a checkpoint for every 1 GB of WAL) a checkpoint came every 20-40 s at
                // 10,000 events/s, and after each one the first change of every page was written
                // to the WAL whole again (100,000 full-page images and 1.3 GB of WAL per 300,000
                // events, against 70 images and 0.7 GB with these settings).
                .setServerConfig("shared_buffers", "1GB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping PostgreSQL (pg_ctl stop -m fast)");
            try {
                pg.close();
                System.out.println("PostgreSQL stopped");
            } catch (Exception e) {
                System.out.println("could not stop PostgreSQL: " + e);
            } finally {
                stopped.countDown();
            }
        }, "sts-postgres-stop"));

        String base = "jdbc:postgresql://127.0.0.1:" + port + "/";
        String su = DatabaseRoles.SUPERUSER;
        String suPassword = DatabaseRoles.SUPERUSER_PASSWORD;
        try (Connection c = DriverManager.getConnection(base + "postgres", su, suPassword)) {
            for (String created : DatabaseRoles.provision(c, databases, DatabaseRoles.passwordsFrom(System.getenv()),
                    db -> DriverManager.getConnection(base + db, su, suPassword))) {
                System.out.println("created " + created);
            }
        }
        System.out.printf("%s postgres on 127.0.0.1:%d, databases %s, data %s (%d ms)%n", READY_MARKER, port,
                databases, data, Duration.ofNanos(System.nanoTime() - t0).toMillis());
        System.out.flush();

        // Stay alive; exit if the postmaster goes away on its own so `status` tells the truth.
        Path pidFile = data.resolve("postmaster.pid");
        while (stopped.getCount() > 0) {
            if (stopped.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
                break;
            }
            Optional<Long> pid = postmasterPid(pidFile);
            if (pid.isEmpty() || !ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                System.out.println("the postmaster is gone; exiting");
                System.exit(1);
            }
        }
    }

    /** The first line of PostgreSQL's {@code postmaster.pid}, if the file exists. */
    public static Optional<Long> postmasterPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
