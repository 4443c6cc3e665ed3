package dev.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.sts.audit.events.AuditConsumer;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingestion against the real broker and PostgreSQL: a record the database cannot store must not
 * stop the audit trail. It goes to the dead-letter topic with why and where it came from, and the
 * events behind it are still stored.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class AuditIngestionTest {
    static final String SESSION_EVENTS = "sts.session-events.v1";
    static final String DEAD_LETTER = "sts.audit-dead-letter.v1";
    static final String ROLE_KEY = "arn:aws:iam::000000000000:role/S3AccessRole";

    @Inject
    AuditConsumer auditConsumer;

    static ManagedChannel channel;
    static AuditServiceGrpc.AuditServiceBlockingStub admin;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
        channel.shutdownNow();
    }


    static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    static StsEvent denied(String eventId, String actorArn, String roleArn) {
        Instant now = Instant.now();
        return StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(eventId)
                        .setEventTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                        .setActor(UserIdentity.newBuilder().setType("IAMUser").setArn(actorArn))
                        .setRequestId(UUID.randomUUID().toString()).setAccountId("000000000000"))
                .setEventName("AssumeRole").setRoleArn(roleArn).setRoleSessionName("s1")
                .setErrorCode("AccessDenied").setErrorMessage("not authorized").setReason("no such role")).build();
    }

    static RecordMetadata produce(byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(SESSION_EVENTS, ROLE_KEY, value)).get();
    }

    static List<AuditRecord> byRole(String roleArn) {
        return admin.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setRoleArn(roleArn)).build()).getEventsList();
    }

    static String uniqueRole(String prefix) {
        return "arn:aws:iam::000000000000:role/" + prefix + UUID.randomUUID().toString().replace("-", "");
    }

    /** The dead-letter record whose source offset is {@code offset}, read from the start of the topic. */
    static ConsumerRecord<String, byte[]> deadLettered(RecordMetadata source) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(DEAD_LETTER));
            return await().atMost(Duration.ofSeconds(60)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().filter(r -> source.topic().equals(header(r, "sts-dlt-source-topic"))
                        && String.valueOf(source.partition()).equals(header(r, "sts-dlt-source-partition"))
                        && String.valueOf(source.offset()).equals(header(r, "sts-dlt-source-offset"))).findFirst();
            }, Optional::isPresent).orElseThrow();
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeniedAssumeRoleForAn800CharacterRoleArnIsStored() throws Exception {
        String roleArn = uniqueRole("Long") + "x".repeat(800 - uniqueRole("Long").length());
        assertThat(roleArn).hasSize(800);
        String eventId = UUID.randomUUID().toString();
        produce(denied(eventId, "arn:aws:iam::000000000000:user/intruder", roleArn).toByteArray());

        List<AuditRecord> found = await().atMost(Duration.ofSeconds(60)).until(() -> byRole(roleArn), l -> !l.isEmpty());
        assertThat(found).singleElement().satisfies(r -> {
            assertThat(r.getEventId()).isEqualTo(eventId);
            assertThat(r.getOutcome()).isEqualTo("Failure");
        });
    }

    @Test
    void aRecordPostgresRefusesIsDeadLetteredWithItsReasonAndLaterEventsAreStored() throws Exception {
        // PostgreSQL text cannot hold U+0000: the insert fails with a data error, every time.
        String poisonId = UUID.randomUUID().toString();
        String poisonRole = uniqueRole("Poison");
        RecordMetadata poison = produce(denied(poisonId, "arn:aws:iam::000000000000:user/nul\u0000byte", poisonRole).toByteArray());
        String laterRole = uniqueRole("Later");
        String laterId = UUID.randomUUID().toString();
        produce(denied(laterId, "arn:aws:iam::000000000000:user/intruder", laterRole).toByteArray());

        await().atMost(Duration.ofSeconds(60)).until(() -> byRole(laterRole), l -> !l.isEmpty());
        ConsumerRecord<String, byte[]> dead = deadLettered(poison);
        assertThat(header(dead, "sts-dlt-event-id")).isEqualTo(poisonId);
        assertThat(header(dead, "sts-dlt-reason")).contains("22");
        assertThat(dead.key()).isEqualTo(ROLE_KEY);
        assertThat(StsEvent.parseFrom(dead.value()).getAssumeRoleDenied().getHeader().getEventId()).isEqualTo(poisonId);
        assertThat(byRole(poisonRole)).isEmpty();
    }

    @Test
    void aValueBeyondItsColumnIsDeadLetteredNotTruncated() throws Exception {
        // No producer sends an ARN over 2,048 characters; one produced raw must not stop the trail.
        String poisonId = UUID.randomUUID().toString();
        String actor = "arn:aws:iam::000000000000:user/" + "a".repeat(3000);
        RecordMetadata poison = produce(denied(poisonId, actor, uniqueRole("TooLong")).toByteArray());
        String laterRole = uniqueRole("AfterTooLong");
        produce(denied(UUID.randomUUID().toString(), "arn:aws:iam::000000000000:user/intruder", laterRole).toByteArray());

        await().atMost(Duration.ofSeconds(60)).until(() -> byRole(laterRole), l -> !l.isEmpty());
        ConsumerRecord<String, byte[]> dead = deadLettered(poison);
        assertThat(header(dead, "sts-dlt-event-id")).isEqualTo(poisonId);
        assertThat(header(dead, "sts-dlt-reason")).startsWith("SQLState 22001");
        assertThat(header(dead, "sts-dlt-reason")).doesNotContain("aaaa");
    }

    @Test
    void anEventTimeOutsideTimestampsRangeIsDeadLetteredAndLaterEventsAreStored() throws Exception {
        // protobuf's Timestamp allows any int64 of seconds; one beyond java.time.Instant's range
        // made the store throw (not a data error) on every redelivery, which stopped the trail.
        String poisonId = UUID.randomUUID().toString();
        StsEvent.Builder poison = denied(poisonId, "arn:aws:iam::000000000000:user/intruder", uniqueRole("FarFuture")).toBuilder();
        poison.getAssumeRoleDeniedBuilder().getHeaderBuilder().setEventTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE));
        RecordMetadata bad = produce(poison.build().toByteArray());
        String laterRole = uniqueRole("AfterFarFuture");
        produce(denied(UUID.randomUUID().toString(), "arn:aws:iam::000000000000:user/intruder", laterRole).toByteArray());

        await().atMost(Duration.ofSeconds(60)).until(() -> byRole(laterRole), l -> !l.isEmpty());
        ConsumerRecord<String, byte[]> dead = deadLettered(bad);
        assertThat(header(dead, "sts-dlt-reason")).isEqualTo("undecodable: the event time is not a valid timestamp");
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAndLaterEventsAreStored() throws Exception {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
        RecordMetadata bad = produce(garbage);
        String laterRole = uniqueRole("AfterGarbage");
        produce(denied(UUID.randomUUID().toString(), "arn:aws:iam::000000000000:user/intruder", laterRole).toByteArray());

        await().atMost(Duration.ofSeconds(60)).until(() -> byRole(laterRole), l -> !l.isEmpty());
        ConsumerRecord<String, byte[]> dead = deadLettered(bad);
        assertThat(header(dead, "sts-dlt-reason")).startsWith("undecodable");
        assertThat(dead.value()).isEqualTo(garbage);
    }

    static JsonNode readiness() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + TestChannels.port() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    static Optional<JsonNode> check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static JsonNode awaitConsumerCheck(String status) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> check(readiness(), "audit-consumer"), c -> c.isPresent() && status.equals(c.get().path("status").asText()))
                .orElseThrow();
    }

    @Test
    void readinessReportsTheConsumerAndItsLag() {
        JsonNode consumer = awaitConsumerCheck("UP");
        assertThat(consumer.path("data").has("lag")).isTrue();
    }

    @Test
    void readinessIsDownWhileTheConsumerIsDead() throws Exception {
        awaitConsumerCheck("UP");
        auditConsumer.stop();
        try {
            JsonNode down = awaitConsumerCheck("DOWN");
            assertThat(down.path("data").path("problem").asText()).contains("not running");
            assertThat(readiness().path("status").asText()).isEqualTo("DOWN");
        } finally {
            auditConsumer.start();
        }
        awaitConsumerCheck("UP");
        // and it ingests again
        String role = uniqueRole("AfterRestart");
        produce(denied(UUID.randomUUID().toString(), "arn:aws:iam::000000000000:user/intruder", role).toByteArray());
        await().atMost(Duration.ofSeconds(60)).until(() -> byRole(role), l -> !l.isEmpty());
    }
}
