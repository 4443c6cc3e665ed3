package dev.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.audit.api.CheckpointJwksRoute;
import dev.sts.audit.domain.ChainHash;
import dev.sts.audit.domain.Checkpoint;
import dev.sts.audit.events.CheckpointScheduler;
import dev.sts.audit.persistence.RuntimePrivilegeCheck;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainProblem;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.VerifyChainRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tamper evidence against the database's owner (docs/adr/021), with real PostgreSQL and Kafka:
 * events are ingested from the broker, then a superuser with the triggers switched off
 * ({@code session_replication_role = replica}) changes, deletes or inserts rows, cuts a chain's
 * tail after a checkpoint, or adds a forged checkpoint, and VerifyChain must name the first
 * record that does not match and how. Every tampering is undone afterwards, and the chain verifies
 * again, so the shared database stays intact for the other test classes.
 *
 * <p>Checkpoints are taken on demand here ({@link CheckpointScheduler#checkpointNow()}): the
 * profile sets the schedule out of reach, so that no scheduled checkpoint signs a tampered head
 * while a test holds it.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@TestProfile(ChainIntegrityTest.CheckpointsOnDemand.class)
class ChainIntegrityTest {
    /** Every partition's events land on one chain; this test writes to its own. */
    static final int PARTITION = 2;

    public static class CheckpointsOnDemand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sts.audit.checkpoint.every-records", "1000000000", "sts.audit.checkpoint.every-interval", "PT24H");
        }
    }

    static ManagedChannel channel;
    static AuditServiceGrpc.AuditServiceBlockingStub admin;

    @Inject
    CheckpointScheduler checkpoints;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static String accessKeyId() {
        return "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    }

    /** Publishes {@code n} SessionIssued events to the test's partition and returns their records, by sequence. */
    static List<AuditRecord> ingest(int n) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> keys = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String key = accessKeyId();
                keys.add(key);
                StsEvent event = AuditLogTest.issued(UUID.randomUUID().toString(), key);
                producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, PARTITION, "arn:aws:iam::000000000000:role/S3AccessRole",
                        event.toByteArray())).get();
            }
        }
        List<AuditRecord> records = new ArrayList<>();
        for (String key : keys) {
            records.add(Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.lookupEvents(LookupEventsRequest
                    .newBuilder().setLookupAttributes(LookupAttributes.newBuilder().setAccessKeyId(key)).build()).getEventsList(),
                    found -> !found.isEmpty()).get(0));
        }
        records.sort(Comparator.comparingLong(AuditRecord::getSequence));
        assertThat(records).extracting(AuditRecord::getChainId).containsOnly(Topics.SESSION_EVENTS + "/" + PARTITION);
        return records;
    }

    static ChainVerification verify(String chainId) {
        return admin.verifyChain(VerifyChainRequest.newBuilder().setChainId(chainId).build()).getChains(0);
    }

    static ChainVerification assertIntact(String chainId) {
        ChainVerification v = verify(chainId);
        assertThat(v.getIntact()).as(v.getProblem()).isTrue();
        assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_UNSPECIFIED);
        return v;
    }

    /** A superuser session with every trigger off: what an attacker with the database's keys has. */
    static Connection tamperer() throws SQLException {
        Connection c = AuditDatabaseResource.superuserConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
        }
        return c;
    }

    @Test
    void aRecordChangedInPlaceIsNamedAltered() throws Exception {
        List<AuditRecord> r = ingest(3);
        AuditRecord victim = r.get(1);
        String chain = victim.getChainId();
        assertIntact(chain);
        try (Connection c = tamperer(); Statement s = c.createStatement()) {
            String where = " WHERE event_id = '" + victim.getEventId() + "'";
            s.executeUpdate("UPDATE audit_records SET record = record || '\\x00'::bytea" + where);
            try {
                ChainVerification v = verify(chain);
                assertThat(v.getIntact()).isFalse();
                assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_ALTERED);
                assertThat(v.getFirstBrokenSequence()).isEqualTo(victim.getSequence());
                assertThat(v.getFirstBrokenEventId()).isEqualTo(victim.getEventId());
                assertThat(v.getProblem()).contains("does not match its hash");
            } finally {
                s.executeUpdate("UPDATE audit_records SET record = substring(record from 1 for length(record) - 1)" + where);
            }
        }
        assertIntact(chain);
    }

    @Test
    void aRecordDeletedIsNamedDeleted() throws Exception {
        List<AuditRecord> r = ingest(3);
        AuditRecord victim = r.get(1);
        String chain = victim.getChainId();
        assertIntact(chain);
        try (Connection c = tamperer(); Statement s = c.createStatement()) {
            String where = " WHERE event_id = '" + victim.getEventId() + "'";
            s.execute("CREATE TEMP TABLE saved AS SELECT * FROM audit_records" + where);
            s.executeUpdate("DELETE FROM audit_records" + where);
            try {
                ChainVerification v = verify(chain);
                assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_DELETED);
                assertThat(v.getFirstBrokenSequence()).isEqualTo(victim.getSequence());
                assertThat(v.getProblem()).contains("record " + victim.getSequence() + " is missing");
            } finally {
                s.executeUpdate("INSERT INTO audit_records SELECT * FROM saved");
            }
        }
        assertIntact(chain);
    }

    @Test
    void aWellHashedRecordInsertedIntoTheChainIsNamedInserted() throws Exception {
        List<AuditRecord> r = ingest(3);
        AuditRecord before = r.get(0);
        long at = before.getSequence() + 1;
        String chain = before.getChainId();
        assertIntact(chain);
        // The forger shifts every later record up by one and writes a record at the freed position
        // that links correctly to its predecessor, with a correct hash of its own.
        byte[] bytes = AuditLogTest.issued(UUID.randomUUID().toString(), accessKeyId()).toByteArray();
        String hash = ChainHash.next(before.getRecordHash(), bytes);
        String fakeId = UUID.randomUUID().toString();
        try (Connection c = tamperer(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_records SET sequence = -sequence WHERE chain_id = '" + chain + "' AND sequence >= " + at);
            s.executeUpdate("UPDATE audit_records SET sequence = -sequence + 1 WHERE chain_id = '" + chain + "' AND sequence < 0");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_records (event_id, chain_id, sequence, previous_hash, "
                    + "record_hash, event_time, event_name, outcome, principal_arn, source_offset, record) "
                    + "VALUES (?::uuid, ?, ?, ?, ?, now(), 'AssumeRole', 'Success', 'ec2.amazonaws.com', 0, ?)")) {
                ps.setString(1, fakeId);
                ps.setString(2, chain);
                ps.setLong(3, at);
                ps.setString(4, before.getRecordHash());
                ps.setString(5, hash);
                ps.setBytes(6, bytes);
                ps.executeUpdate();
            }
            try {
                ChainVerification v = verify(chain);
                assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_INSERTED);
                assertThat(v.getFirstBrokenSequence()).isEqualTo(at);
                assertThat(v.getFirstBrokenEventId()).isEqualTo(fakeId);
                assertThat(v.getProblem()).contains("links past it");
            } finally {
                s.executeUpdate("DELETE FROM audit_records WHERE event_id = '" + fakeId + "'");
                s.executeUpdate("UPDATE audit_records SET sequence = -sequence WHERE chain_id = '" + chain + "' AND sequence > " + at);
                s.executeUpdate("UPDATE audit_records SET sequence = -sequence - 1 WHERE chain_id = '" + chain + "' AND sequence < 0");
            }
        }
        assertIntact(chain);
    }

    @Test
    void aTailCutAfterACheckpointIsNamedDeletedThanksToTheCheckpoint() throws Exception {
        List<AuditRecord> r = ingest(3);
        String chain = r.get(0).getChainId();
        long head = r.get(2).getSequence();
        List<Checkpoint> taken = checkpoints.checkpointNow();
        assertThat(taken).filteredOn(cp -> cp.chainId().equals(chain)).singleElement()
                .satisfies(cp -> assertThat(cp.sequence()).isEqualTo(head));
        assertThat(assertIntact(chain).getLastCheckpointSequence()).isEqualTo(head);
        long cut = r.get(1).getSequence();
        try (Connection c = tamperer(); Statement s = c.createStatement()) {
            String tail = " WHERE chain_id = '" + chain + "' AND sequence >= " + cut;
            s.execute("CREATE TEMP TABLE tail AS SELECT * FROM audit_records" + tail);
            s.executeUpdate("DELETE FROM audit_records" + tail);
            try {
                ChainVerification v = verify(chain);
                assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_DELETED);
                assertThat(v.getFirstBrokenSequence()).isEqualTo(cut);
                assertThat(v.getHeadSequence()).isEqualTo(cut - 1);
                assertThat(v.getProblem()).contains("record " + head + " is missing").contains("checkpoint").contains("tail was cut");
                // The hashes alone cannot see it: what remains is a well-formed chain.
                ChainVerification upToTheCut = admin.verifyChain(VerifyChainRequest.newBuilder().setChainId(chain)
                        .setToSequence(cut - 1).build()).getChains(0);
                assertThat(upToTheCut.getIntact()).isTrue();
            } finally {
                s.executeUpdate("INSERT INTO audit_records SELECT * FROM tail");
            }
        }
        assertIntact(chain);
    }

    @Test
    void aForgedCheckpointIsNamedEvenWhenTheRuntimeRoleCouldInsertIt() throws Exception {
        List<AuditRecord> r = ingest(2);
        AuditRecord target = r.get(1);
        String chain = target.getChainId();
        String kid = trustedKid();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new com.nimbusds.jose.JOSEObjectType("sts-audit-checkpoint+jwt")).keyID(kid).build(),
                new JWTClaimsSet.Builder().claim("chain_id", chain).claim("sequence", target.getSequence())
                        .claim("record_hash", target.getRecordHash()).issueTime(Date.from(at)).build());
        forged.sign(new ECDSASigner(attacker));
        // The runtime role may INSERT checkpoints: a forged one gets in, and is caught by its signature.
        try (Connection c = AuditDatabaseResource.appConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_checkpoints (chain_id, sequence, record_hash, signed_at, kid, jws) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, chain);
            ps.setLong(2, target.getSequence());
            ps.setString(3, target.getRecordHash());
            ps.setTimestamp(4, java.sql.Timestamp.from(at));
            ps.setString(5, kid);
            ps.setString(6, forged.serialize());
            ps.executeUpdate();
        }
        try {
            ChainVerification v = verify(chain);
            assertThat(v.getProblemKind()).isEqualTo(ChainProblem.CHAIN_PROBLEM_FORGED_CHECKPOINT);
            assertThat(v.getFirstBrokenSequence()).isEqualTo(target.getSequence());
            assertThat(v.getProblem()).contains("signature does not verify");
        } finally {
            try (Connection c = tamperer(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_checkpoints WHERE chain_id = '" + chain + "' AND sequence = " + target.getSequence());
            }
        }
        assertIntact(chain);
    }

    @Test
    void checkpointsArePublishedAndVerifyWithTheServedKeySet() throws Exception {
        List<AuditRecord> r = ingest(1);
        String chain = r.get(0).getChainId();
        Checkpoint cp = checkpoints.checkpointNow().stream().filter(c -> c.chainId().equals(chain)).findFirst().orElseThrow();
        assertThat(cp.sequence()).isEqualTo(r.get(0).getSequence());
        assertThat(cp.recordHash()).isEqualTo(r.get(0).getRecordHash());

        ConsumerRecord<String, byte[]> published = awaitPublished(cp);
        assertThat(new String(published.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo("application/jose");

        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + TestChannels.port() + CheckpointJwksRoute.PATH);
        HttpResponse<String> keys = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.headers().firstValue("content-type")).hasValue("application/jwk-set+json");
        assertThat(keys.headers().firstValue("cache-control")).hasValue("public, max-age=300");
        String etag = keys.headers().firstValue("etag").orElseThrow();
        JWKSet set = JWKSet.parse(keys.body());
        assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

        // What an archive does with a copied checkpoint: verify it with the published key of its kid.
        SignedJWT jws = SignedJWT.parse(new String(published.value(), StandardCharsets.UTF_8));
        ECKey key = (ECKey) set.getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(jws.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(jws.getJWTClaimsSet().getStringClaim("chain_id")).isEqualTo(chain);
        assertThat(jws.getJWTClaimsSet().getLongClaim("sequence")).isEqualTo(cp.sequence());
        assertThat(jws.getJWTClaimsSet().getStringClaim("record_hash")).isEqualTo(r.get(0).getRecordHash());

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);

        // The whole log verifies, this chain through its checkpoint.
        List<ChainVerification> all = admin.verifyChain(VerifyChainRequest.getDefaultInstance()).getChainsList();
        assertThat(all).allSatisfy(v -> assertThat(v.getIntact()).as(v.getChainId() + ": " + v.getProblem()).isTrue());
        assertThat(all).filteredOn(v -> v.getChainId().equals(chain)).singleElement().satisfies(v -> {
            assertThat(v.getLastCheckpointSequence()).isEqualTo(cp.sequence());
            assertThat(v.getCheckpointsChecked()).isPositive();
        });
    }

    @Test
    void theRuntimeRoleMayOnlyAppendAndReadCheckpointsAndKeysAndTheOwnerIsRefusedByTriggers() throws Exception {
        try (Connection c = AuditDatabaseResource.appConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("audit_checkpoints", "audit_checkpoint_keys")) {
                for (String sql : List.of("UPDATE " + table + " SET kid = kid", "DELETE FROM " + table, "TRUNCATE " + table,
                        "ALTER TABLE " + table + " DISABLE TRIGGER ALL", "DROP TABLE " + table)) {
                    assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo("42501"));
                }
            }
        }
        try (Connection c = AuditDatabaseResource.ownerConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("audit_checkpoints", "audit_checkpoint_keys")) {
                for (String sql : List.of("UPDATE " + table + " SET kid = kid", "DELETE FROM " + table, "TRUNCATE " + table)) {
                    assertThatThrownBy(() -> s.execute(sql)).as(sql).hasMessageContaining("append-only");
                }
            }
        }
        try (Connection app = AuditDatabaseResource.appConnection(); Connection owner = AuditDatabaseResource.ownerConnection()) {
            assertThat(RuntimePrivilegeCheck.problems(app)).isEmpty();
            assertThat(RuntimePrivilegeCheck.problems(owner)).anyMatch(p -> p.contains("owns audit_checkpoints"))
                    .anyMatch(p -> p.contains("owns audit_checkpoint_keys"));
        }
    }

    @Test
    void aRangeOrAChainIdOutOfBoundsIsAValidationError() {
        for (VerifyChainRequest bad : List.of(
                VerifyChainRequest.newBuilder().setFromSequence(2).build(),
                VerifyChainRequest.newBuilder().setChainId("c").setFromSequence(5).setToSequence(4).build(),
                VerifyChainRequest.newBuilder().setChainId("c").setFromSequence(-1).build(),
                VerifyChainRequest.newBuilder().setChainId("c".repeat(301)).build())) {
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> admin.verifyChain(bad));
            assertThat(GrpcErrors.reason(e)).as(bad.toString()).isEqualTo("ValidationError");
        }
    }

    static String trustedKid() throws Exception {
        HttpResponse<String> keys = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + TestChannels.port() + CheckpointJwksRoute.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JWKSet.parse(keys.body()).getKeys().get(0).getKeyID();
    }

    static ConsumerRecord<String, byte[]> awaitPublished(Checkpoint cp) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_CHECKPOINTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(rec -> {
                    if (cp.chainId().equals(rec.key()) && cp.jws().equals(new String(rec.value(), StandardCharsets.UTF_8))) {
                        found.add(rec);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
