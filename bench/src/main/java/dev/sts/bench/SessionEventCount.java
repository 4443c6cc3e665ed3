package dev.sts.bench;

import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.StsEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What AssumeRole really answered during a run, from the session-event topic: token-service
 * answers only after the broker has stored the decision, so every credential handed out has a
 * SessionIssued record and every refusal an AssumeRoleDenied record. h2load cannot tell (a gRPC
 * error is an HTTP 200 with a non-zero grpc-status trailer).
 */
final class SessionEventCount {
    private SessionEventCount() {
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c) {
        return c.partitionsFor(Topics.SESSION_EVENTS, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    @Command(name = "snapshot", description = "Write the session topic's end offsets to a file.")
    static final class Snapshot implements Callable<Integer> {
        @Option(names = "--bootstrap", defaultValue = "127.0.0.1:19092")
        String bootstrap;
        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            try (var c = consumer(bootstrap)) {
                Map<TopicPartition, Long> end = c.endOffsets(partitions(c), Duration.ofSeconds(10));
                Files.writeString(out, end.entrySet().stream().map(e -> e.getKey().partition() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n")));
            }
            return 0;
        }
    }

    @Command(name = "count", description = "Count SessionIssued / AssumeRoleDenied for a role since a snapshot.")
    static final class Count implements Callable<Integer> {
        @Option(names = "--bootstrap", defaultValue = "127.0.0.1:19092")
        String bootstrap;
        @Option(names = "--since", required = true, description = "file written by snapshot")
        Path since;
        @Option(names = "--role-arn", required = true)
        String roleArn;

        @Override
        public Integer call() throws Exception {
            Map<Integer, Long> start = Files.readAllLines(since).stream().filter(l -> !l.isBlank())
                    .map(l -> l.split("=")).collect(Collectors.toMap(a -> Integer.parseInt(a[0]), a -> Long.parseLong(a[1])));
            long issued = 0;
            long denied = 0;
            try (var c = consumer(bootstrap)) {
                List<TopicPartition> parts = new ArrayList<>(partitions(c));
                Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
                c.assign(parts);
                parts.forEach(tp -> c.seek(tp, start.getOrDefault(tp.partition(), 0L)));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.value() == null || r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                            continue;
                        }
                        StsEvent e = StsEvent.parseFrom(r.value());
                        if (e.hasSessionIssued() && e.getSessionIssued().getRoleArn().equals(roleArn)) {
                            issued++;
                        } else if (e.hasAssumeRoleDenied() && e.getAssumeRoleDenied().getRoleArn().equals(roleArn)) {
                            denied++;
                        }
                    }
                }
            }
            System.out.println("issued=" + issued + " denied=" + denied);
            return 0;
        }
    }
}
