package dev.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.sts.audit.persistence.RuntimePrivilegeCheck;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.proto.v1.VerifyChainRequest;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class AuditLogTest {
    static ManagedChannel channel;
    static AuditServiceGrpc.AuditServiceBlockingStub admin;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static StsEvent issued(String eventId, String accessKeyId) {
        Instant now = Instant.now();
        return StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(eventId)
                        .setEventTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                        .setActor(UserIdentity.newBuilder().setType("AWSService").setArn("ec2.amazonaws.com"))
                        .setRequestId(UUID.randomUUID().toString()).setAccountId("000000000000"))
                .setEventName("AssumeRole").setRoleArn("arn:aws:iam::000000000000:role/S3AccessRole").setRoleId("AROAEXAMPLE")
                .setAssumedRoleArn("arn:aws:sts::000000000000:assumed-role/S3AccessRole/s1").setRoleSessionName("s1")
                .setSessionId(UUID.randomUUID().toString()).setAccessKeyId(accessKeyId)
                .setIssuedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                .setExpiration(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 900))).build();
    }

    static void publish(StsEvent event) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("sts.session-events.v1", "arn:aws:iam::000000000000:role/S3AccessRole",
                    event.toByteArray())).get();
        }
    }

    static List<AuditRecord> byAccessKey(String accessKeyId) {
        return admin.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setAccessKeyId(accessKeyId)).build()).getEventsList();
    }

    static List<AuditRecord> await(Supplier<List<AuditRecord>> query) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(query::get, found -> !found.isEmpty());
    }

    @Test
    void consumedEventsAreStoredOnceChainedAndQueryable() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String key = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        StsEvent event = issued(eventId, key);
        publish(event);
        publish(event); // redelivery of the same event id

        AuditRecord record = await(() -> byAccessKey(key)).get(0);
        assertThat(record.getEventId()).isEqualTo(eventId);
        assertThat(record.getEventSource()).isEqualTo("sts.amazonaws.com");
        assertThat(record.getOutcome()).isEqualTo("Success");
        assertThat(record.getChainId()).startsWith("sts.session-events.v1/");
        assertThat(record.getRecordHash()).hasSize(64).isNotEqualTo(record.getPreviousHash());

        // Send one more after the duplicate, so the duplicate has certainly been consumed and skipped.
        String key2 = key.substring(0, 19) + "Z";
        publish(issued(UUID.randomUUID().toString(), key2));
        await(() -> byAccessKey(key2));
        assertThat(byAccessKey(key)).hasSize(1);

        assertThat(admin.getEvent(GetEventRequest.newBuilder().setEventId(eventId).build()).getEvent()).isEqualTo(record);
    }

    @Test
    void theRuntimeRoleMayOnlyAppendAndRead() throws Exception {
        String key = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        publish(issued(UUID.randomUUID().toString(), key));
        await(() -> byAccessKey(key));
        try (Connection c = AuditDatabaseResource.appConnection(); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "UPDATE audit_records SET outcome = 'Failure' WHERE access_key_id = '" + key + "'",
                    "DELETE FROM audit_records WHERE access_key_id = '" + key + "'",
                    "TRUNCATE audit_records",
                    "ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_update",
                    "ALTER TABLE audit_records DISABLE TRIGGER ALL",
                    "DROP TABLE audit_records")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isIn("42501"))
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM audit_records WHERE access_key_id = '" + key + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
        assertThat(byAccessKey(key)).hasSize(1);
    }

    @Test
    void theStartUpCheckAcceptsTheRuntimeRoleAndRefusesTheOwner() throws Exception {
        try (Connection app = AuditDatabaseResource.appConnection(); Connection owner = AuditDatabaseResource.ownerConnection();
                Connection superuser = AuditDatabaseResource.superuserConnection()) {
            assertThat(RuntimePrivilegeCheck.problems(app)).isEmpty();
            assertThat(RuntimePrivilegeCheck.problems(owner)).anyMatch(p -> p.contains("could disable its triggers"))
                    .anyMatch(p -> p.contains("holds TRUNCATE"));
            assertThat(RuntimePrivilegeCheck.problems(superuser)).anyMatch(p -> p.contains("superuser"));
        }
    }

    @Test
    void theDatabaseRefusesToChangeOrRemoveRecordsEvenForTheOwner() throws Exception {
        String key = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        publish(issued(UUID.randomUUID().toString(), key));
        await(() -> byAccessKey(key));
        try (Connection c = AuditDatabaseResource.ownerConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_records SET outcome = 'Failure' WHERE access_key_id = '" + key + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_records WHERE access_key_id = '" + key + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_records"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThat(byAccessKey(key)).hasSize(1);
    }

    @Test
    void verifyChainDetectsARecordAlteredBehindTheTriggersBack() throws Exception {
        String key = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        publish(issued(UUID.randomUUID().toString(), key));
        AuditRecord record = await(() -> byAccessKey(key)).get(0);
        assertThat(admin.verifyChain(VerifyChainRequest.newBuilder().setChainId(record.getChainId()).build()).getChains(0).getIntact())
                .isTrue();

        // The owner (or a superuser) disables the trigger and rewrites history; the chain must show it.
        try (Connection c = AuditDatabaseResource.ownerConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_update");
            try {
                s.executeUpdate("UPDATE audit_records SET record = record || '\\x00'::bytea WHERE access_key_id = '" + key + "'");
                ChainVerification broken = admin.verifyChain(VerifyChainRequest.newBuilder().setChainId(record.getChainId()).build())
                        .getChains(0);
                assertThat(broken.getIntact()).isFalse();
                assertThat(broken.getFirstBrokenSequence()).isEqualTo(record.getSequence());
                assertThat(broken.getProblem()).contains("does not match its hash");
            } finally {
                s.executeUpdate("UPDATE audit_records SET record = substring(record from 1 for length(record) - 1) WHERE access_key_id = '" + key + "'");
                s.execute("ALTER TABLE audit_records ENABLE TRIGGER audit_records_no_update");
            }
        }
        assertThat(admin.verifyChain(VerifyChainRequest.newBuilder().setChainId(record.getChainId()).build()).getChains(0).getIntact())
                .isTrue();
    }

    @Test
    void onlyAuthorizedCallersReadTheLog() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-intruder-token"))
                        .lookupEvents(LookupEventsRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.reason(e)).isEqualTo("AccessDenied");
        StatusRuntimeException bad = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> admin.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(5000).build()));
        assertThat(GrpcErrors.reason(bad)).isEqualTo("ValidationError");
    }
}
