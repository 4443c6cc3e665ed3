package dev.sts.audit;

import static dev.sts.audit.TrailEvents.actorOf;
import static dev.sts.audit.TrailEvents.claims;
import static dev.sts.audit.TrailEvents.issued;
import static dev.sts.audit.TrailEvents.unique;
import static dev.sts.audit.TrailEvents.user;
import static dev.sts.audit.TrailEvents.userArn;
import static dev.sts.audit.TrailEvents.webIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.GetSessionLineageRequest;
import dev.sts.proto.v1.GetSessionLineageResponse;
import dev.sts.proto.v1.LineageHop;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GetSessionLineage over sessions whose issuing events went through the real broker: back from a
 * session to who really acted, through every hop of role chaining and from a web identity, and
 * forward to the sessions issued from it.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class SessionLineageTest {
    static ManagedChannel channel;
    static AuditServiceGrpc.AuditServiceBlockingStub admin;
    static TrailEvents trail;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(TrailEvents.ADMIN_TOKEN));
        trail = new TrailEvents(channel);
    }

    @AfterAll
    static void close() {
        trail.close();
        channel.shutdownNow();
    }

    static GetSessionLineageResponse ofSession(String id) {
        return admin.getSessionLineage(GetSessionLineageRequest.newBuilder().setSessionId(id).build());
    }

    @Test
    void aThreeHopChainLeadsBackToTheUserAndForwardToEverySessionIssuedFromIt() throws Exception {
        String tag = unique();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // user -> role A -> role B -> role C, and a second session of C from B
        SessionClaims a = claims("A-" + tag, "a-session", 1, t);
        SessionClaims b = claims("B-" + tag, "b-session", 2, t.plusSeconds(1));
        SessionClaims c = claims("C-" + tag, "c-session", 3, t.plusSeconds(2));
        SessionClaims c2 = claims("C-" + tag, "c-second", 3, t.plusSeconds(3));
        trail.publishAndAwait(issued(user("carol-" + tag), a, "AssumeRole", "carol"), issued(actorOf(a), b, "AssumeRole", "carol"),
                issued(actorOf(b), c, "AssumeRole", "carol"), issued(actorOf(b), c2, "AssumeRole", "carol"));

        GetSessionLineageResponse fromC = ofSession(c.sessionId());
        assertThat(fromC.getHopsList()).extracting(LineageHop::getSessionId)
                .containsExactly(c.sessionId(), b.sessionId(), a.sessionId());
        assertThat(fromC.getHopsList()).extracting(LineageHop::getRoleArn)
                .containsExactly(c.roleArn(), b.roleArn(), a.roleArn());
        assertThat(fromC.getHopsList()).extracting(LineageHop::getIssuerPrincipalArn)
                .containsExactly(b.assumedRoleArn(), a.assumedRoleArn(), userArn("carol-" + tag));
        assertThat(fromC.getHopsList()).extracting(LineageHop::getParentSessionId)
                .containsExactly(b.sessionId(), a.sessionId(), "");
        assertThat(fromC.getHopsList()).extracting(LineageHop::getChainDepth).containsExactly(3, 2, 1);
        assertThat(fromC.getHopsList()).extracting(LineageHop::getSessionName)
                .containsExactly("c-session", "b-session", "a-session");
        LineageHop first = fromC.getHops(0);
        assertThat(first.getAssumedRoleArn()).isEqualTo(c.assumedRoleArn());
        assertThat(first.getAccessKeyId()).isEqualTo(c.accessKeyId());
        assertThat(first.getSourceIdentity()).isEqualTo("carol");
        assertThat(first.getRecord().getEventId()).isEqualTo(first.getEventId());
        assertThat(first.getRecord().getRecordHash()).hasSize(64);
        // who really acted
        assertThat(fromC.getComplete()).isTrue();
        assertThat(fromC.getOrigin().getType()).isEqualTo("IAMUser");
        assertThat(fromC.getOrigin().getArn()).isEqualTo(userArn("carol-" + tag));
        assertThat(fromC.getDerivedList()).isEmpty();

        // From the first session: itself back, and forward every session issued from it, breadth first
        GetSessionLineageResponse fromA = ofSession(a.sessionId());
        assertThat(fromA.getHopsList()).extracting(LineageHop::getSessionId).containsExactly(a.sessionId());
        assertThat(fromA.getDerivedList()).extracting(LineageHop::getSessionId)
                .containsExactly(b.sessionId(), c.sessionId(), c2.sessionId());
        assertThat(fromA.getDerivedList()).extracting(LineageHop::getParentSessionId)
                .containsExactly(a.sessionId(), b.sessionId(), b.sessionId());
        assertThat(fromA.getDerivedTruncated()).isFalse();

        // By access key id, from the middle
        GetSessionLineageResponse fromB = admin.getSessionLineage(
                GetSessionLineageRequest.newBuilder().setAccessKeyId(b.accessKeyId()).build());
        assertThat(fromB.getHopsList()).extracting(LineageHop::getSessionId).containsExactly(b.sessionId(), a.sessionId());
        assertThat(fromB.getDerivedList()).extracting(LineageHop::getSessionId).containsExactly(c.sessionId(), c2.sessionId());

        // Bounded fan-out
        GetSessionLineageResponse bounded = admin.getSessionLineage(
                GetSessionLineageRequest.newBuilder().setSessionId(a.sessionId()).setMaxDerived(2).build());
        assertThat(bounded.getDerivedList()).extracting(LineageHop::getSessionId).containsExactly(b.sessionId(), c.sessionId());
        assertThat(bounded.getDerivedTruncated()).isTrue();
    }

    @Test
    void aChainStartedFromAWebIdentityLeadsBackToTheTokensSubject() throws Exception {
        String tag = unique();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SessionClaims w = claims("Web-" + tag, "pod-" + tag, 1, t);
        SessionClaims chained = claims("Next-" + tag, "next", 2, t.plusSeconds(1));
        String subject = "system:serviceaccount:payments:" + tag;
        trail.publishAndAwait(issued(webIdentity("issuer.example", "sts", subject), w, "AssumeRoleWithWebIdentity", null),
                issued(actorOf(w), chained, "AssumeRole", null));

        GetSessionLineageResponse r = ofSession(chained.sessionId());
        assertThat(r.getHopsList()).extracting(LineageHop::getSessionId).containsExactly(chained.sessionId(), w.sessionId());
        assertThat(r.getHopsList()).extracting(LineageHop::getEventName).containsExactly("AssumeRole", "AssumeRoleWithWebIdentity");
        assertThat(r.getComplete()).isTrue();
        assertThat(r.getOrigin().getType()).isEqualTo("WebIdentityUser");
        assertThat(r.getOrigin().getPrincipalId()).isEqualTo("issuer.example:sts:" + subject);
        assertThat(r.getHops(1).getRecord().getResponseElements().getFieldsOrThrow("subjectFromWebIdentityToken")
                .getStringValue()).isEqualTo("system:serviceaccount:ns:app");
    }

    @Test
    void aParentMissingFromTheLogEndsTheChainAsIncomplete() throws Exception {
        String tag = unique();
        // the parent's own issuing record was never published
        SessionClaims parent = claims("Gone-" + tag, "gone", 1, Instant.now());
        SessionClaims child = claims("Child-" + tag, "child", 2, Instant.now());
        trail.publishAndAwait(issued(actorOf(parent), child, "AssumeRole", null));

        GetSessionLineageResponse r = ofSession(child.sessionId());
        assertThat(r.getHopsList()).extracting(LineageHop::getSessionId).containsExactly(child.sessionId());
        assertThat(r.getHops(0).getParentSessionId()).isEqualTo(parent.sessionId());
        assertThat(r.getComplete()).isFalse();
        assertThat(r.getOrigin().getArn()).isEqualTo(parent.assumedRoleArn());
    }

    @Test
    void anUnknownSessionIsNoSuchEntityAndBadInputIsTheCallersError() {
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> ofSession(UUID.randomUUID().toString()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.reason(unknown)).isEqualTo("NoSuchEntity");

        StatusRuntimeException none = catchThrowableOfType(StatusRuntimeException.class,
                () -> admin.getSessionLineage(GetSessionLineageRequest.getDefaultInstance()));
        assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        StatusRuntimeException longId = catchThrowableOfType(StatusRuntimeException.class,
                () -> ofSession("x".repeat(129)));
        assertThat(GrpcErrors.reason(longId)).isEqualTo("ValidationError");

        StatusRuntimeException fanOut = catchThrowableOfType(StatusRuntimeException.class, () -> admin.getSessionLineage(
                GetSessionLineageRequest.newBuilder().setSessionId("s").setMaxDerived(1001).build()));
        assertThat(GrpcErrors.reason(fanOut)).isEqualTo("ValidationError");
    }
}
