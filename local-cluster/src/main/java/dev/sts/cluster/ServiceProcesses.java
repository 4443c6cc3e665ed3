package dev.sts.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts service processes ({@code java -jar <svc>/target/quarkus-app/quarkus-run.jar}) with the
 * environment of {@link ServiceEnvironment} and waits until each answers 200 on its readiness
 * endpoint. Several are launched together and then awaited, so their start-ups overlap.
 */
final class ServiceProcesses {
    private final ClusterOptions options;
    private final StateLayout layout;
    private final Supervisor supervisor;
    private final DevSecrets secrets;
    private final HealthProbe health;

    ServiceProcesses(ClusterOptions options, StateLayout layout, Supervisor supervisor, DevSecrets secrets,
            HealthProbe health) {
        this.options = options;
        this.layout = layout;
        this.supervisor = supervisor;
        this.secrets = secrets;
        this.health = health;
    }

    /** Checks that each service's runnable jar exists, with the build command otherwise. */
    void checkBuilt(List<Component> services) {
        for (Component s : services) {
            if (!Files.isRegularFile(options.serviceJar(s))) {
                throw new ClusterException(s + " is not built (" + layout.displayPath(options.serviceJar(s))
                        + " is missing); build with: ./mvnw -DskipTests install");
            }
        }
    }

    /**
     * Launches these services and waits until each is ready. token-service's credential for
     * role-service is read from its token file, so that a service restarted alone uses the
     * credentials the running services already know.
     */
    void start(List<Component> services, Consumer<String> progress) throws IOException {
        String kek = secrets.kek();
        Map<String, String> dbPasswords = secrets.databasePasswords();
        String tokenServiceCredential = Files.readString(
                layout.credentialFile(DevCredentials.TOKEN_SERVICE_CREDENTIAL), StandardCharsets.UTF_8).strip();
        ServiceEnvironment environment = new ServiceEnvironment(options, layout);
        Map<Component, Long> launchedAt = new EnumMap<>(Component.class);
        Map<Component, ProcessHandle> handles = new EnumMap<>(Component.class);
        for (Component s : services) {
            List<String> cmd = supervisor.javaCommand(options.javaExecutable(), s, options.serviceJvmArgs());
            cmd.addAll(List.of("-jar", options.serviceJar(s).toString()));
            handles.put(s, supervisor.launch(s, new ArrayList<>(cmd),
                    environment.of(s, kek, tokenServiceCredential, dbPasswords), layout.workDir(s)));
            launchedAt.put(s, System.nanoTime());
        }
        Endpoints e = Endpoints.of(options);
        for (Component s : services) {
            Duration left = options.serviceReadyTimeout().minusNanos(System.nanoTime() - launchedAt.get(s));
            supervisor.awaitReady(s, handles.get(s), left.isNegative() ? Duration.ofMillis(1) : left,
                    "did not answer HTTP 200 on " + e.baseUri(s) + HealthProbe.HEALTH_PATH + " within "
                            + options.serviceReadyTimeout().toSeconds() + " s",
                    () -> health.serviceStatus(options.port(s)) == 200);
            progress.accept(s + ": ready on " + e.baseUri(s) + " in " + Durations.since(launchedAt.get(s)));
        }
    }
}
