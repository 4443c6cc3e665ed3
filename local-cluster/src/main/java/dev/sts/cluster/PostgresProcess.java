package dev.sts.cluster;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the PostgreSQL process ({@link PostgresMain} in its own JVM) and waits for its ready
 * line. The login roles' passwords go to it in the environment, never on the command line, where
 * any user of the machine could read them.
 */
final class PostgresProcess {
    private final ClusterOptions options;
    private final StateLayout layout;
    private final Supervisor supervisor;
    private final DevSecrets secrets;

    PostgresProcess(ClusterOptions options, StateLayout layout, Supervisor supervisor, DevSecrets secrets) {
        this.options = options;
        this.layout = layout;
        this.supervisor = supervisor;
        this.secrets = secrets;
    }

    void start(java.util.function.Consumer<String> progress) throws IOException {
        long t0 = System.nanoTime();
        List<String> cmd = supervisor.javaCommand(options.javaExecutable(), Component.POSTGRES,
                List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(KafkaProcess.SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), PostgresMain.class.getName(),
                "--port", String.valueOf(options.postgresPort()), "--data", layout.postgresDataDir().toString(),
                "--databases", String.join(",", Component.databases())));
        Map<String, String> env = new LinkedHashMap<>();
        secrets.databasePasswords().forEach((role, pw) -> env.put(DatabaseRoles.passwordVariable(role), pw));
        ProcessHandle h = supervisor.launch(Component.POSTGRES, cmd, env, layout.stateDir());
        supervisor.awaitReady(Component.POSTGRES, h, options.infraReadyTimeout(),
                "did not get ready within " + options.infraReadyTimeout().toSeconds() + " s",
                () -> Supervisor.logContains(layout.logFile(Component.POSTGRES), PostgresMain.READY_MARKER));
        progress.accept("postgres: ready on " + Endpoints.HOST + ":" + options.postgresPort() + " in "
                + Durations.since(t0));
    }
}
