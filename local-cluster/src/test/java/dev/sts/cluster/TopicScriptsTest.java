package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import dev.sts.kit.events.Topics;

/**
 * The topic scripts of Compose and Kubernetes create exactly the topics of the one specification
 * ({@link Topics#ALL}) with exactly its settings, and the replication the operator asks for. The
 * script runs for real, against a stand-in {@code kafka-topics.sh} that records its arguments.
 */
class TopicScriptsTest {
    static final Path REPO = Path.of(System.getProperty("sts.repo.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0} with replication {1}/{2}")
    @CsvSource({
        "docker/kafka/create-topics.sh, , , 1, 1",
        "deploy/components/kafka-topics/create-topics.sh, , , 1, 1",
        "docker/kafka/create-topics.sh, 3, 2, 3, 2",
        "deploy/components/kafka-topics/create-topics.sh, 3, 2, 3, 2"})
    void createsExactlyTheSpecifiedTopics(String script, String rfEnv, String isrEnv, short rf, int isr,
            @TempDir Path kafkaHome) throws Exception {
        Path calls = kafkaHome.resolve("calls");
        Path fake = kafkaHome.resolve("bin/kafka-topics.sh");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve(script).toString()).redirectErrorStream(true)
                .redirectOutput(kafkaHome.resolve("out").toFile());
        pb.environment().put("KAFKA_HOME", kafkaHome.toString());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "broker:9092");
        if (rfEnv != null) {
            pb.environment().put("STS_TOPIC_REPLICATION_FACTOR", rfEnv);
            pb.environment().put("STS_TOPIC_MIN_INSYNC_REPLICAS", isrEnv);
        }
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(kafkaHome.resolve("out"))).isZero();

        Map<String, List<String>> created = new LinkedHashMap<>();
        for (String line : Files.readAllLines(calls)) {
            List<String> args = Arrays.asList(line.split(" "));
            if (args.contains("--create")) {
                created.put(value(args, "--topic"), args);
            }
        }
        Topics.Replication replication = new Topics.Replication(rf, isr);
        assertThat(created.keySet()).containsExactlyElementsOf(Topics.names());
        for (Topics.TopicSpec spec : Topics.ALL) {
            List<String> args = created.get(spec.name());
            assertThat(args).as(spec.name()).contains("--if-not-exists", "--bootstrap-server", "broker:9092");
            assertThat(value(args, "--partitions")).as(spec.name()).isEqualTo(String.valueOf(spec.partitions()));
            assertThat(value(args, "--replication-factor")).as(spec.name()).isEqualTo(String.valueOf(rf));
            assertThat(configs(args)).as(spec.name()).isEqualTo(spec.configs(replication));
        }
    }

    private static String value(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as(option + " in " + args).isNotNegative();
        return args.get(i + 1);
    }

    private static Map<String, String> configs(List<String> args) {
        Map<String, String> m = new java.util.TreeMap<>();
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < rest.size() - 1; i++) {
            if (rest.get(i).equals("--config")) {
                String[] kv = rest.get(i + 1).split("=", 2);
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }
}
