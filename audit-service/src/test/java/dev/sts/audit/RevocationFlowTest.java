package dev.sts.audit;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.events.Topics;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A service that verifies session tokens offline refuses a revoked session within two seconds of
 * the revocation's publication on sts.revocations.v1 (as token-service publishes it), and the
 * revocation is stored in the audit log with its actor; the tombstone that later ends it removes
 * it from the view.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class RevocationFlowTest {
    static final Duration WITHIN = Duration.ofSeconds(2);
    static final String ADMIN = "arn:aws:iam::000000000000:root";

    @org.junit.jupiter.api.BeforeAll
    static void connect() {
        PermissionViewFlowTest.connect();
    }

    @org.junit.jupiter.api.AfterAll
    static void close() {
        PermissionViewFlowTest.close();
    }

    /** True when the session is served, false when refused as an invalid token; anything else fails. */
    static boolean accepted(AuditServiceGrpc.AuditServiceBlockingStub stub) {
        try {
            stub.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build());
            return true;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(GrpcErrors.reason(e)).isEqualTo("InvalidClientTokenId");
            assertThat(e.getStatus().getDescription()).isEqualTo("the security token included in the request is invalid");
            return false;
        }
    }

    static byte[] revocation(String id, SessionClaims session) {
        Instant now = Instant.now();
        return StsEvent.newBuilder().setSessionsRevoked(SessionsRevoked.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(id).setEventTime(Timestamps.of(now))
                        .setActor(UserIdentity.newBuilder().setType("Root").setArn(ADMIN))
                        .setRequestId(UUID.randomUUID().toString()).setAccountId(RoleStates.ACCOUNT))
                .setRevocationId(id).setSessionId(session.sessionId()).setRevokedAt(Timestamps.of(now))
                .setExpiresAt(Timestamps.of(now.plus(Duration.ofHours(12)))).setReason("compromised"))
                .build().toByteArray();
    }

    @Test
    void aRevokedSessionIsRefusedWithinTwoSecondsAndTheRevocationIsAudited() throws Exception {
        JsonNode ready = await().atMost(Duration.ofSeconds(60)).until(
                () -> AuditIngestionTest.check(AuditIngestionTest.readiness(), "revocations"),
                c -> c.isPresent() && "UP".equals(c.get().path("status").asText())).orElseThrow();
        assertThat(ready.path("data").path("state").asText()).isEqualTo("following");

        String name = "Revoked" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RoleState role = RoleStates.role(name).addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*"))).build();
        PermissionViewFlowTest.publish(role.getArn(), role);
        SessionClaims revoked = PermissionViewFlowTest.session(role, "revoked");
        SessionClaims other = PermissionViewFlowTest.session(role, "other");
        var revokedStub = PermissionViewFlowTest.as(SessionTokensResource.sign(revoked));
        var otherStub = PermissionViewFlowTest.as(SessionTokensResource.sign(other));
        await().atMost(Duration.ofSeconds(10)).until(() -> PermissionViewFlowTest.lookupAllowed(revokedStub));

        String id = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        PermissionViewFlowTest.producer.send(new ProducerRecord<>(Topics.REVOCATIONS, id, revocation(id, revoked))).get();
        await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> !accepted(revokedStub));
        Duration refusedAfter = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(refusedAfter).isLessThan(WITHIN);
        assertThat(accepted(otherStub)).isTrue();

        AuditRecord stored = await().atMost(Duration.ofSeconds(60)).until(() -> {
            try {
                return AuditServiceGrpc.newBlockingStub(PermissionViewFlowTest.channel)
                        .withCallCredentials(new dev.sts.kit.grpc.BearerCredentials("test-admin-token")).getEvent(GetEventRequest.newBuilder().setEventId(id).build()).getEvent();
            } catch (StatusRuntimeException e) {
                return null;
            }
        }, r -> r != null);
        assertThat(stored.getEventName()).isEqualTo("RevokeSessions");
        assertThat(stored.getUserIdentity().getArn()).isEqualTo(ADMIN);
        assertThat(stored.getSessionId()).isEqualTo(revoked.sessionId());
        assertThat(stored.getRequestParameters().getFieldsOrThrow("reason").getStringValue()).isEqualTo("compromised");

        // The tombstone token-service writes once the revocation expired ends it in every view.
        PermissionViewFlowTest.producer.send(new ProducerRecord<>(Topics.REVOCATIONS, id, (byte[]) null)).get();
        await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> accepted(revokedStub));
    }
}
