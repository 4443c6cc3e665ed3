package dev.sts.token;

import static dev.sts.token.AssumeRoleLimitsTest.invalid;
import static dev.sts.token.TokenServiceTest.assume;
import static dev.sts.token.TokenServiceTest.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.revocation.RevocationView;
import dev.sts.kit.revocation.RevocationsConfig;
import dev.sts.kit.testing.TestChannels;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.RevokeSessionsRequest;
import dev.sts.proto.v1.RevokeSessionsResponse;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.token.events.RevocationRelay;
import io.agroal.api.AgroalDataSource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RevokeSessions through gRPC against PostgreSQL and the broker: what each selector covers, the
 * 2-second bound (this replica, and an independent RevocationView standing for another replica or
 * service), a new view knowing every revocation in force when it reports caught up, the audit
 * record, the tombstone of an expired revocation, validation and authorization.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class RevokeSessionsTest {
    static final Duration WITHIN = Duration.ofSeconds(2);
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;
    static TokenServiceGrpc.TokenServiceBlockingStub admin;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;

    @Inject
    AgroalDataSource ds;
    @Inject
    RevocationRelay relay;

    final List<RevocationView> views = new ArrayList<>();

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
        admin = anonymous.withCallCredentials(new BearerCredentials("test-admin-token"));
        ec2 = anonymous.withCallCredentials(new BearerCredentials("test-ec2-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @AfterEach
    void stopViews() {
        views.forEach(RevocationView::stop);
    }

    static String session(AssumeRoleResponse r) {
        return r.getCredentials().getSessionToken();
    }

    static SessionClaims claims(AssumeRoleResponse r) throws Exception {
        return SessionClaims.fromClaimsSet(SignedJWT.parse(session(r)).getJWTClaimsSet());
    }

    /** True when token-service accepts the session token, false when it refuses it as an invalid token. */
    static boolean accepted(String token) {
        try {
            anonymous.withCallCredentials(new BearerCredentials(token)).getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(GrpcErrors.reason(e)).isEqualTo("InvalidClientTokenId");
            assertThat(e.getStatus().getDescription()).isEqualTo("the security token included in the request is invalid");
            return false;
        }
    }

    static void refusedWithinTwoSeconds(String token) {
        await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> !accepted(token));
    }

    /** Waits until the clock has passed the revocation's time: sessions issued from then on are not covered. */
    static void pastRevocation(RevokeSessionsResponse r) {
        Instant at = Timestamps.toInstant(r.getRevokedAt());
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> !Instant.now().isBefore(at));
    }

    static AssumeRoleResponse issue(String sessionName, String sourceIdentity) {
        var b = assume(TestRoleDirectory.S3_ACCESS, sessionName);
        if (sourceIdentity != null) {
            b.setSourceIdentity(sourceIdentity);
        }
        return ec2.assumeRole(b.build());
    }

    static AssumeRoleResponse issueVendor() {
        return ec2.assumeRole(assume(TestRoleDirectory.EXTERNAL, "vendor").setExternalId("Unique-ID-1234").build());
    }

    RevocationView startView() {
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        RevocationView view = new RevocationView(servers, new Config(), InstantSource.system());
        views.add(view);
        view.start();
        return view;
    }

    record Config() implements RevocationsConfig {
        public boolean enabled() {
            return true;
        }

        public int maxRecordBytes() {
            return 16384;
        }

        public Duration maxReconnectBackoff() {
            return Duration.ofSeconds(1);
        }

        public Duration requestTimeout() {
            return Duration.ofSeconds(5);
        }

        public Duration maintenanceInterval() {
            return Duration.ofSeconds(5);
        }
    }

    @Test
    void bySessionIdOnlyThatSession() {
        AssumeRoleResponse a = issue("one", null);
        AssumeRoleResponse b = issue("two", null);
        assertThat(accepted(session(a))).isTrue();
        String jti = claimsUnchecked(a).sessionId();

        RevokeSessionsResponse r = admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(jti)
                .setReason("laptop stolen").build());
        assertThat(UUID.fromString(r.getRevocationId())).isNotNull();
        refusedWithinTwoSeconds(session(a));
        assertThat(accepted(session(b))).isTrue();
    }

    @Test
    void byRoleSessionsOfThatRoleIssuedBeforeAndNewOnesStillWork() {
        AssumeRoleResponse s3 = issue("before", null);
        AssumeRoleResponse vendor = issueVendor();

        RevokeSessionsResponse r = admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setRoleArn(TestRoleDirectory.S3_ACCESS).build());
        refusedWithinTwoSeconds(session(s3));
        assertThat(accepted(session(vendor))).isTrue();
        // revoked_at is a whole second (a token's iat is); from then on new sessions are not covered.
        assertThat(r.getRevokedAt().getNanos()).isZero();

        pastRevocation(r);
        AssumeRoleResponse after = issue("after", null);
        assertThat(accepted(session(after))).isTrue();
    }

    @Test
    void bySourceIdentityOnlySessionsCarryingIt() {
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        AssumeRoleResponse a = issue("alice", alice);
        AssumeRoleResponse b = issue("bob", bob);

        RevokeSessionsResponse r = admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSourceIdentity(alice).build());
        refusedWithinTwoSeconds(session(a));
        assertThat(accepted(session(b))).isTrue();
        pastRevocation(r);
        assertThat(accepted(session(issue("alice-again", alice)))).isTrue();
    }

    @Test
    void byIssueTimeEverySessionIssuedBefore() {
        AssumeRoleResponse old = issue("old", null);
        AssumeRoleResponse vendor = issueVendor();
        Instant cutOff = Instant.now();

        admin.revokeSessions(RevokeSessionsRequest.newBuilder().setIssuedBefore(Timestamps.of(cutOff)).build());
        refusedWithinTwoSeconds(session(old));
        refusedWithinTwoSeconds(session(vendor));
        // A token's iat is whole seconds: a session issued in the cut-off's second is covered, one
        // issued from the next second on is not.
        Instant nextSecond = cutOff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> !Instant.now().isBefore(nextSecond));
        assertThat(accepted(session(issue("new", null)))).isTrue();
    }

    @Test
    void aSecondViewRefusesWithinTwoSecondsAndANewViewKnowsEveryRevocationInForceWhenCaughtUp() throws Exception {
        RevocationView other = startView();
        await().atMost(Duration.ofSeconds(30)).until(other::caughtUp);
        SessionClaims first = claims(issue("first", null));
        SessionClaims second = claims(issue("second", null));
        SessionClaims untouched = claims(issue("untouched", null));
        assertThat(other.revocationOf(first)).isEmpty();

        long t0 = System.nanoTime();
        RevokeSessionsResponse r = admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(first.sessionId()).build());
        await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> other.revocationOf(first).isPresent());
        Duration seen = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(seen).isLessThan(WITHIN);
        assertThat(other.revocationOf(first)).contains(r.getRevocationId());
        admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(second.sessionId()).build());

        // A replica started now: once it reports caught up, both revocations are known, without waiting more.
        RevocationView fresh = startView();
        assertThat(fresh.caughtUp()).isFalse();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(fresh::caughtUp);
        assertThat(fresh.revocationOf(first)).contains(r.getRevocationId());
        assertThat(fresh.revocationOf(second)).isPresent();
        assertThat(fresh.revocationOf(untouched)).isEmpty();
    }

    @Test
    void theRevocationIsStoredPublishedWithItsActorAndTombstonedOnceExpired() throws Exception {
        SessionClaims s = claims(issue("audited", null));
        String reason = "incident " + UUID.randomUUID();
        RevokeSessionsResponse r = admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(s.sessionId())
                .setReason(reason).build());

        // Answered after the broker acknowledged: the record is on the topic now, keyed by the revocation id.
        List<ConsumerRecord<String, byte[]>> records = revocationRecords(r.getRevocationId());
        assertThat(records).hasSize(1);
        StsEvent event = StsEvent.parseFrom(records.get(0).value());
        var revoked = event.getSessionsRevoked();
        assertThat(revoked.getHeader().getEventId()).isEqualTo(r.getRevocationId());
        assertThat(revoked.getHeader().getActor().getArn()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(revoked.getSessionId()).isEqualTo(s.sessionId());
        assertThat(revoked.getReason()).isEqualTo(reason);
        assertThat(revoked.getRevokedAt()).isEqualTo(r.getRevokedAt());
        Instant expires = Timestamps.toInstant(revoked.getExpiresAt());
        assertThat(expires).isEqualTo(Timestamps.toInstant(r.getRevokedAt()).plus(Duration.ofHours(12)).plus(Duration.ofMinutes(5)));
        assertThat(row(r.getRevocationId(), "published_at")).isNotNull();
        assertThat(row(r.getRevocationId(), "tombstoned_at")).isNull();

        // Nothing expired yet: the relay writes no tombstone for it.
        relay.runOnce(expires.minusSeconds(1));
        assertThat(row(r.getRevocationId(), "tombstoned_at")).isNull();
        // Once no session it covers can be valid, its key is tombstoned and a new replica forgets it.
        relay.runOnce(expires);
        assertThat(row(r.getRevocationId(), "tombstoned_at")).isNotNull();
        List<ConsumerRecord<String, byte[]>> after = revocationRecords(r.getRevocationId());
        assertThat(after).hasSize(2);
        assertThat(after.get(1).value()).isNull();
        RevocationView fresh = startView();
        await().atMost(Duration.ofSeconds(30)).until(fresh::caughtUp);
        assertThat(fresh.revocationOf(s)).isEmpty();
    }

    @Test
    void everyFieldIsValidated() {
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setReason("no selector").build()),
                "ValidationError", "selector");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId("").build()),
                "ValidationError", "session_id");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId("not-a-session").build()),
                "ValidationError", "session_id");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString().toUpperCase()).build()), "ValidationError", "session_id");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId("x".repeat(100_000)).build()),
                "ValidationError", "session_id");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setRoleArn("arn:aws:iam::1:role/x").build()),
                "ValidationError", "role_arn");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setRoleArn("arn:aws:iam::000000000000:role/" + "r".repeat(3000)).build()), "ValidationError", "role_arn");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSourceIdentity("a").build()),
                "ValidationError", "source_identity");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSourceIdentity("a".repeat(65)).build()),
                "ValidationError", "source_identity");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSourceIdentity("alice smith").build()),
                "ValidationError", "source_identity");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSourceIdentity("aws:alice").build()),
                "ValidationError", "source_identity");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setIssuedBefore(Timestamps.of(Instant.now().plusSeconds(3600))).build()), "ValidationError", "issued_before");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setIssuedBefore(Timestamp.newBuilder().setSeconds(1).setNanos(-1)).build()), "ValidationError", "issued_before");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setIssuedBefore(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build()), "ValidationError", "issued_before");
        invalid(() -> admin.revokeSessions(RevokeSessionsRequest.newBuilder().setRoleArn(TestRoleDirectory.EXTERNAL)
                .setReason("r".repeat(1001)).build()), "ValidationError", "reason");
    }

    @Test
    void callersWithoutPermissionAreDeniedAndNothingIsRevoked() throws Exception {
        AssumeRoleResponse victim = issue("victim", null);
        var intruder = anonymous.withCallCredentials(new BearerCredentials("test-intruder-token"));
        StatusRuntimeException denied = expect(() -> intruder.revokeSessions(RevokeSessionsRequest.newBuilder()
                .setSessionId(claimsUnchecked(victim).sessionId()).build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(denied.getStatus().getDescription()).contains("sts:RevokeSessions");
        // A role session whose role grants nothing (it is not in the permission view) is denied too,
        // including revoking its own role.
        var session = anonymous.withCallCredentials(new BearerCredentials(session(victim)));
        expect(() -> session.revokeSessions(RevokeSessionsRequest.newBuilder().setRoleArn(TestRoleDirectory.S3_ACCESS).build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        expect(() -> anonymous.revokeSessions(RevokeSessionsRequest.newBuilder().setRoleArn(TestRoleDirectory.S3_ACCESS).build()),
                Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken");
        assertThat(accepted(session(victim))).isTrue();
    }

    static SessionClaims claimsUnchecked(AssumeRoleResponse r) {
        try {
            return claims(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Object row(String id, String column) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM revocations WHERE revocation_id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row " + id).isTrue();
                return rs.getObject(1);
            }
        }
    }

    /** Every record of the revocations topic under this key, in order (read to the current end offsets). */
    static List<ConsumerRecord<String, byte[]>> revocationRecords(String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REVOCATIONS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(rec -> {
                    if (key.equals(rec.key())) {
                        records.add(rec);
                    }
                });
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return records;
        }
    }
}
