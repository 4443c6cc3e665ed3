package dev.sts.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.cluster.Component;
import dev.sts.cluster.LocalCluster;
import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.VerifyChainRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing lost, nothing twice, nothing stuck: audit-service's ingestion through a {@code kill -9}
 * of its process and a restart of PostgreSQL while events stream in, through redelivery of the
 * same events, and past poison records. The events go straight to the broker, as token-service
 * publishes them, so each test knows exactly what was produced (what the broker acknowledged);
 * the log must then hold each of them exactly once, and every hash chain must verify.
 */
@ExtendWith(SystemCluster.Resolver.class)
class AuditIngestCrashTest {
    static final int PAGE = 1000;
    /** Enough for a restart of a JVM service or of PostgreSQL on a loaded 2-core machine. */
    static final Duration RECOVERY = Duration.ofMinutes(3);

    final SystemCluster system;
    final LocalCluster cluster;

    AuditIngestCrashTest(SystemCluster system) {
        this.system = system;
        this.cluster = system.cluster;
    }

    AuditServiceGrpc.AuditServiceBlockingStub auditor() {
        return AuditServiceGrpc.newBlockingStub(system.audit).withCallCredentials(system.as("admin"))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void killedWithSigkillWhileIngestingAndRestartedItStoresEveryEventExactlyOnce() throws Exception {
        try (EventStream stream = new EventStream(cluster.endpoints().kafkaPort())) {
            stream.start(50, Duration.ofMillis(50)); // 1,000 events/s until finish()
            await("the first records stored").atMost(RECOVERY).until(() -> !page(stream.roleArn, 1, "").getEventsList().isEmpty());

            long pid = Long.parseLong(Files.readString(cluster.pidFile(Component.AUDIT_SERVICE)).trim());
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            await("audit-service dead").atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            int atKill = stream.acknowledged();
            await("events produced while audit-service is down").atMost(RECOVERY).until(() -> stream.acknowledged() >= atKill + 1000);

            Set<String> produced = stream.finish();
            cluster.start(Component.AUDIT_SERVICE);

            assertExactlyOnce(stream.roleArn, produced);
        }
        assertEveryChainIntact();
    }

    @Test
    void postgresStoppedAndRestartedUnderIngestLosesAndDuplicatesNothing() throws Exception {
        try (EventStream stream = new EventStream(cluster.endpoints().kafkaPort())) {
            stream.start(50, Duration.ofMillis(50));
            await("the first records stored").atMost(RECOVERY).until(() -> !page(stream.roleArn, 1, "").getEventsList().isEmpty());
            assertThat(cluster.stop(Component.POSTGRES)).as("PostgreSQL was running").isTrue();
            try {
                int atStop = stream.acknowledged();
                await("events produced while PostgreSQL is down").atMost(RECOVERY)
                        .until(() -> stream.acknowledged() >= atStop + 1000);
                Set<String> produced = stream.finish();
                cluster.start(Component.POSTGRES);
                assertExactlyOnce(stream.roleArn, produced);
            } finally {
                if (!cluster.processStatus().running(Component.POSTGRES)) {
                    cluster.start(Component.POSTGRES);
                }
            }
        }
        assertEveryChainIntact();
    }

    @Test
    void theSameEventsDeliveredTwiceAreStoredOnce() throws Exception {
        try (EventStream stream = new EventStream(cluster.endpoints().kafkaPort())) {
            List<StsEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                events.add(stream.event(UUID.randomUUID().toString()));
            }
            for (int round = 0; round < 2; round++) {
                for (StsEvent e : events) {
                    stream.send(e);
                }
            }
            Set<String> produced = new HashSet<>();
            events.forEach(e -> produced.add(e.getSessionIssued().getHeader().getEventId()));
            // A last event after the copies: once it is stored, every copy before it on its partition was read.
            for (int i = 0; i < 10; i++) {
                StsEvent last = stream.event(UUID.randomUUID().toString());
                stream.send(last);
                produced.add(last.getSessionIssued().getHeader().getEventId());
            }
            assertExactlyOnce(stream.roleArn, produced);
        }
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheirReasonCountedAndTheRestStored() throws Exception {
        try (EventStream stream = new EventStream(cluster.endpoints().kafkaPort())) {
            String poisonKey = "poison-" + UUID.randomUUID();
            byte[] garbage = {(byte) 0xff, (byte) 0xff, 0x01, 0x02};
            StsEvent notAUuid = stream.event("not-a-uuid");
            Set<String> produced = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                if (i == 100) {
                    stream.sendRaw(poisonKey, garbage);
                }
                if (i == 200) {
                    stream.sendRaw(poisonKey, notAUuid.toByteArray());
                }
                StsEvent e = stream.event(UUID.randomUUID().toString());
                stream.send(e);
                produced.add(e.getSessionIssued().getHeader().getEventId());
            }
            assertExactlyOnce(stream.roleArn, produced);

            List<String> reasons = deadLetterReasons(poisonKey);
            assertThat(reasons).hasSize(2);
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("undecodable: not an sts.v1.StsEvent"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).isEqualTo("undecodable: the event id is not a UUID"));
            assertThat(deadLetterMetric("undecodable")).as("sts_audit_dead_letters_total{reason=undecodable}")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    // -----------------------------------------------------------------------------------------

    /** Waits until the log holds every produced event, then requires each exactly once and nothing else. */
    void assertExactlyOnce(String roleArn, Set<String> produced) {
        List<String> stored = await("every produced event stored").atMost(RECOVERY).pollInterval(Duration.ofSeconds(1))
                .until(() -> stored(roleArn), s -> s.size() >= produced.size());
        assertThat(stored).as("no event stored twice").doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).as("exactly the produced events").isEqualTo(produced);
    }

    /** Every event id of the role in the log, page by page. */
    List<String> stored(String roleArn) {
        List<String> ids = new ArrayList<>();
        String token = "";
        do {
            LookupEventsResponse r = page(roleArn, PAGE, token);
            r.getEventsList().stream().map(AuditRecord::getEventId).forEach(ids::add);
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        return ids;
    }

    LookupEventsResponse page(String roleArn, int size, String token) {
        return auditor().lookupEvents(LookupEventsRequest.newBuilder().setPageSize(size).setPageToken(token)
                .setLookupAttributes(LookupAttributes.newBuilder().setRoleArn(roleArn)).build());
    }

    void assertEveryChainIntact() {
        List<ChainVerification> chains = auditor().verifyChain(VerifyChainRequest.getDefaultInstance()).getChainsList();
        assertThat(chains).isNotEmpty();
        assertThat(chains).allSatisfy(c -> assertThat(c.getIntact()).as(c.getChainId() + ": " + c.getProblem()).isTrue());
        assertThat(chains).allSatisfy(c -> assertThat(c.getRecordsChecked()).isEqualTo(c.getHeadSequence()));
    }

    List<String> deadLetterReasons(String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.endpoints().kafkaPort());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.AUDIT_DEAD_LETTER, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            await("the dead-letter topic read").atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        Header h = r.headers().lastHeader("sts-dlt-reason");
                        reasons.add(h == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return reasons;
    }

    double deadLetterMetric(String reason) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + LocalCluster.HOST + ":" + cluster.endpoints().auditPort() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^sts_audit_dead_letters_total\\{[^}]*reason=\"" + reason + "\"[^}]*} ([0-9.eE+]+)$")
                .matcher(r.body());
        assertThat(m.find()).as("the metric is exported:\n" + r.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
