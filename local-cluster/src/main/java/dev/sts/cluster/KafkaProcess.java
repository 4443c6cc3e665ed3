package dev.sts.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

import dev.sts.kit.events.TopicProvisioner;
import dev.sts.kit.events.Topics;

/**
 * The Kafka broker process: a single-node KRaft broker and controller from the Kafka jars, its
 * storage formatted once, and every topic of the one specification ({@link Topics#ALL}) created
 * with single-broker replication. The broker never creates a topic on its own
 * ({@code auto.create.topics.enable=false}), as in production.
 */
final class KafkaProcess {
    static final List<String> SLF4J_SIMPLE = List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.logFile=System.out");

    private final ClusterOptions options;
    private final StateLayout layout;
    private final Supervisor supervisor;

    KafkaProcess(ClusterOptions options, StateLayout layout, Supervisor supervisor) {
        this.options = options;
        this.layout = layout;
        this.supervisor = supervisor;
    }

    private String bootstrapServers() {
        return Endpoints.of(options).kafkaBootstrapServers();
    }

    void start(Consumer<String> progress) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = layout.kafkaDir();
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
            format(clusterId, props, progress);
        }
        List<String> cmd = supervisor.javaCommand(options.javaExecutable(), Component.KAFKA,
                List.of("-Xms256m", "-Xmx512m"));
        cmd.addAll(SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), "kafka.Kafka", props.toString()));
        ProcessHandle h = supervisor.launch(Component.KAFKA, cmd, Map.of(), dir);

        long deadline = System.nanoTime() + options.infraReadyTimeout().toNanos();
        String late = "did not get ready within " + options.infraReadyTimeout().toSeconds() + " s";
        supervisor.awaitReady(Component.KAFKA, h, options.infraReadyTimeout(), late,
                () -> canConnect(options.kafkaPort()));
        try (Admin admin = KafkaAdmin.create(bootstrapServers(), Duration.ofSeconds(5))) {
            supervisor.awaitReady(Component.KAFKA, h, remaining(deadline), late, () -> answers(admin));
            progress.accept("kafka: ready on " + bootstrapServers() + " in " + Durations.since(t0));
            List<String> created = new ArrayList<>();
            supervisor.awaitReady(Component.KAFKA, h, remaining(deadline), "could not create the topics",
                    () -> createTopics(admin, created));
            if (!created.isEmpty()) {
                progress.accept("kafka: created topics " + String.join(", ", created));
            }
        }
    }

    /** Creates the topics of the specification that are missing on a running broker. */
    void ensureTopics() throws InterruptedException {
        try (Admin admin = KafkaAdmin.create(bootstrapServers(), Duration.ofSeconds(10))) {
            TopicProvisioner.createMissing(admin, Topics.ALL, Topics.Replication.SINGLE_BROKER, Duration.ofSeconds(15));
        } catch (ExecutionException | TimeoutException e) {
            throw new ClusterException("kafka is running but does not answer: " + ClusterException.rootMessage(e));
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private static boolean answers(Admin admin) {
        try {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for kafka", e);
        }
    }

    private static boolean createTopics(Admin admin, List<String> created) {
        try {
            created.addAll(TopicProvisioner.createMissing(admin, Topics.ALL, Topics.Replication.SINGLE_BROKER,
                    Duration.ofSeconds(15)));
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false; // the controller may still be electing itself: try again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while creating topics", e);
        }
    }

    static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Endpoints.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void format(String clusterId, Path props, Consumer<String> progress) throws IOException, InterruptedException {
        Path log = layout.logsDir().resolve("kafka-format.log");
        List<String> cmd = new ArrayList<>(List.of(options.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(SLF4J_SIMPLE);
        cmd.addAll(List.of("-cp", options.classpath(), "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                props.toString(), "--ignore-formatted"));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new ClusterException("kafka: formatting the storage took over 120 s" + supervisor.tail(log));
        }
        if (p.exitValue() != 0) {
            throw new ClusterException("kafka: formatting the storage failed (exit " + p.exitValue() + ")"
                    + supervisor.tail(log));
        }
        progress.accept("kafka: formatted storage (cluster id " + clusterId + ")");
    }
}
