package dev.sts.audit;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A role session calling audit-service is authorized by the permission view, fed by the real
 * broker: a RoleState published to sts.permission-state.v1 (as role-service publishes it) is what
 * audit-service decides with, within two seconds of the publish, and so are its change and its
 * tombstone. audit-service verifies the session token against a JWK set over HTTP, as in
 * production.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class PermissionViewFlowTest {
    /** The bound: a change is visible in every service within this. */
    static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(PermissionViewFlowTest.class);

    static ManagedChannel channel;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, AuditIngestionTest.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
        channel.shutdownNow();
    }

    static AuditServiceGrpc.AuditServiceBlockingStub as(String sessionToken) {
        return AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(sessionToken));
    }

    /** A session of the role, signed as token-service signs it. */
    static SessionClaims session(RoleState role, String sessionName) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SessionClaims(SessionTokensResource.issuer(), "sts", UUID.randomUUID().toString(),
                "arn:aws:sts::" + RoleStates.ACCOUNT + ":assumed-role/" + role.getRoleName() + "/" + sessionName,
                role.getArn(), role.getRoleId(), sessionName, RoleStates.ACCOUNT, null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", now, now.plusSeconds(900), 1, "arn:aws:iam::" + RoleStates.ACCOUNT + ":root",
                null);
    }

    /** Publishes like role-service's relay (key: the ARN; no value: deleted) and returns when the broker has it. */
    static void publish(String arn, RoleState state) throws Exception {
        byte[] value = state == null ? null : StsEvent.newBuilder().setRoleState(state).build().toByteArray();
        producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, arn, value)).get();
    }

    /** True when LookupEvents is served, false when refused with AccessDenied; anything else fails the test. */
    static boolean lookupAllowed(AuditServiceGrpc.AuditServiceBlockingStub stub) {
        try {
            stub.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build());
            return true;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(GrpcErrors.reason(e)).isEqualTo("AccessDenied");
            return false;
        }
    }

    /** Waits (at most {@link #VISIBLE_WITHIN}) until the answer is {@code expected}, and returns how long since t0. */
    static Duration awaitLookup(AuditServiceGrpc.AuditServiceBlockingStub stub, boolean expected, long t0) {
        await().atMost(VISIBLE_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                .until(() -> lookupAllowed(stub) == expected);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static JsonNode permissionViewCheck() {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> AuditIngestionTest.check(AuditIngestionTest.readiness(), "permission-view"),
                c -> c.isPresent() && "UP".equals(c.get().path("status").asText())).orElseThrow();
    }

    @Test
    void aSessionIsAuthorizedByThePublishedRoleStateWithinTwoSecondsOfEachChange() throws Exception {
        // audit-service reports ready only once its view has read the topic to the end
        permissionViewCheck();
        String name = "Auditor" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RoleState v1 = RoleStates.role(name).addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*"))).build();
        SessionClaims claims = session(v1, "auditor");
        AuditServiceGrpc.AuditServiceBlockingStub auditor = as(SessionTokensResource.sign(claims));
        String denied = "User: " + claims.assumedRoleArn() + " is not authorized to perform: audit:LookupEvents on"
                + " resource: * because no identity-based policy allows the audit:LookupEvents action";

        // Before the role exists the session may do nothing (this call also fetches the JWK set once).
        StatusRuntimeException before = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> auditor.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build()));
        assertThat(before.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(before.getStatus().getDescription()).isEqualTo(denied);

        long t0 = System.nanoTime();
        publish(v1.getArn(), v1);
        Duration allowedAfter = awaitLookup(auditor, true, t0);
        assertThat(allowedAfter).isLessThan(VISIBLE_WITHIN);

        RoleState v2 = v1.toBuilder().setRevision(2).clearInlinePolicies()
                .addInlinePolicies(inline("OneEvent", allow("audit:GetEvent", "*"))).build();
        t0 = System.nanoTime();
        publish(v2.getArn(), v2);
        Duration deniedAfter = awaitLookup(auditor, false, t0);
        assertThat(deniedAfter).isLessThan(VISIBLE_WITHIN);
        StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                StatusRuntimeException.class, () -> auditor.lookupEvents(LookupEventsRequest.newBuilder().build()));
        assertThat(refused.getStatus().getDescription()).isEqualTo(denied);

        RoleState v3 = v2.toBuilder().setRevision(3).addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*")))
                .build();
        publish(v3.getArn(), v3);
        awaitLookup(auditor, true, System.nanoTime());

        t0 = System.nanoTime();
        publish(v3.getArn(), null);
        Duration deletedAfter = awaitLookup(auditor, false, t0);
        assertThat(deletedAfter).isLessThan(VISIBLE_WITHIN);

        JsonNode view = permissionViewCheck();
        assertThat(view.path("data").path("recordsApplied").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(view.path("data").path("tombstones").asLong()).isGreaterThanOrEqualTo(1);
        LOG.infof("permission view: allowed %d ms, denied %d ms, deleted %d ms after the publish",
                allowedAfter.toMillis(), deniedAfter.toMillis(), deletedAfter.toMillis());
    }

    @Test
    void aSessionOfARoleCreatedAgainUnderTheSameNameIsRefused() throws Exception {
        permissionViewCheck();
        String name = "Reborn" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RoleState first = RoleStates.role(name).addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*")))
                .build();
        AuditServiceGrpc.AuditServiceBlockingStub oldSession = as(SessionTokensResource.sign(session(first, "old")));
        publish(first.getArn(), first);
        awaitLookup(oldSession, true, System.nanoTime());

        publish(first.getArn(), null);
        RoleState second = first.toBuilder().setRoleId("AROA" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 17).toUpperCase()).build();
        publish(second.getArn(), second);
        AuditServiceGrpc.AuditServiceBlockingStub newSession = as(SessionTokensResource.sign(session(second, "new")));
        awaitLookup(newSession, true, System.nanoTime());
        assertThat(lookupAllowed(oldSession)).isFalse();
    }
}
