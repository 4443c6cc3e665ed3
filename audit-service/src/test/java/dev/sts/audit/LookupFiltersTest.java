package dev.sts.audit;

import static dev.sts.audit.TrailEvents.actorOf;
import static dev.sts.audit.TrailEvents.claims;
import static dev.sts.audit.TrailEvents.denied;
import static dev.sts.audit.TrailEvents.eventId;
import static dev.sts.audit.TrailEvents.issued;
import static dev.sts.audit.TrailEvents.revokedSession;
import static dev.sts.audit.TrailEvents.roleArn;
import static dev.sts.audit.TrailEvents.roleChanged;
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
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.StsEvent;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every filter of LookupEvents, old and new, over records that went through the real broker into
 * the real database; and paging while records keep arriving. Each test works in a time window of its
 * own, far in the past, so records of other tests never match.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class LookupFiltersTest {
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

    /** A window of its own: some hour between 2001 and 2011. */
    static Instant window() {
        return Instant.parse("2001-01-01T00:00:00Z").plusSeconds(3600L * ThreadLocalRandom.current().nextInt(87_000));
    }

    static List<String> ids(Instant from, UnaryOperator<LookupAttributes.Builder> filter) {
        LookupEventsResponse r = admin.lookupEvents(LookupEventsRequest.newBuilder()
                .setStartTime(TrailEvents.ts(from)).setEndTime(TrailEvents.ts(from.plusSeconds(3600)))
                .setLookupAttributes(filter.apply(LookupAttributes.newBuilder())).setPageSize(1000).build());
        assertThat(r.getNextPageToken()).isEmpty();
        return r.getEventsList().stream().map(AuditRecord::getEventId).toList();
    }

    @Test
    void everyFilterFindsExactlyItsRecords() throws Exception {
        Instant t = window();
        String tag = unique();
        String u1 = "alice-" + tag;
        String u2 = "bob-" + tag;
        String r1 = "R1-" + tag;
        String r2 = "R2-" + tag;
        String r3 = "R3-" + tag;
        String policy = "arn:aws:iam::000000000000:policy/P1-" + tag;
        SessionClaims s1 = claims(r1, "alpha-" + tag, 1, t.plusSeconds(10));
        SessionClaims acting = claims(r1, "gamma-" + tag, 1, t.plusSeconds(5));
        SessionClaims web = claims(r2, "delta-" + tag, 1, t.plusSeconds(60));
        Map<String, StsEvent> e = new LinkedHashMap<>();
        e.put("outside", issued(user(u1), claims(r1, "alpha-" + tag, 1, t.minusSeconds(30)), "AssumeRole", "src-" + tag));
        e.put("issued", issued(user(u1), s1, "AssumeRole", "src-" + tag));
        e.put("denied", denied(user(u2), roleArn(r2), "beta-" + tag, "AccessDenied", t.plusSeconds(20)));
        e.put("created", roleChanged(actorOf(acting), "CreateRole", roleArn(r3), null, t.plusSeconds(30)));
        e.put("malformed", roleChanged(user(u1), "CreatePolicyVersion", policy, "MalformedPolicyDocument", t.plusSeconds(40)));
        e.put("revoked", revokedSession(user(u2), s1.sessionId(), t.plusSeconds(50)));
        e.put("web", issued(webIdentity("issuer.example", "sts", "system:serviceaccount:ns:" + tag), web,
                "AssumeRoleWithWebIdentity", null));
        trail.publishAndAwait(new ArrayList<>(e.values()));
        Map<String, String> id = e.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, x -> eventId(x.getValue())));

        // No filter: the window, newest first; the record before the window is not in it.
        assertThat(ids(t, b -> b)).containsExactly(id.get("web"), id.get("revoked"), id.get("malformed"),
                id.get("created"), id.get("denied"), id.get("issued"));
        // The filters of V1
        assertThat(ids(t, b -> b.setPrincipalArn(userArn(u1)))).containsExactly(id.get("malformed"), id.get("issued"));
        assertThat(ids(t, b -> b.setPrincipalArn(acting.assumedRoleArn()))).containsExactly(id.get("created"));
        assertThat(ids(t, b -> b.setRoleArn(roleArn(r2)))).containsExactly(id.get("web"), id.get("denied"));
        assertThat(ids(t, b -> b.setSessionId(s1.sessionId()))).containsExactly(id.get("revoked"), id.get("issued"));
        assertThat(ids(t, b -> b.setSourceIdentity("src-" + tag))).containsExactly(id.get("issued"));
        assertThat(ids(t, b -> b.setAccessKeyId(web.accessKeyId()))).containsExactly(id.get("web"));
        assertThat(ids(t, b -> b.setEventName("AssumeRole"))).containsExactly(id.get("denied"), id.get("issued"));
        assertThat(ids(t, b -> b.setOutcome("Failure"))).containsExactly(id.get("malformed"), id.get("denied"));
        // Session name: the session asked for (issued or refused), else the session the caller acted with.
        assertThat(ids(t, b -> b.setSessionName("alpha-" + tag))).containsExactly(id.get("issued"));
        assertThat(ids(t, b -> b.setSessionName("beta-" + tag))).containsExactly(id.get("denied"));
        assertThat(ids(t, b -> b.setSessionName("gamma-" + tag))).containsExactly(id.get("created"));
        assertThat(ids(t, b -> b.setSessionName("delta-" + tag))).containsExactly(id.get("web"));
        // Error code
        assertThat(ids(t, b -> b.setErrorCode("AccessDenied"))).containsExactly(id.get("denied"));
        assertThat(ids(t, b -> b.setErrorCode("MalformedPolicyDocument"))).containsExactly(id.get("malformed"));
        // Resource ARN: a managed policy, a role changed, a role assumed
        assertThat(ids(t, b -> b.setResourceArn(policy))).containsExactly(id.get("malformed"));
        assertThat(ids(t, b -> b.setResourceArn(roleArn(r3)))).containsExactly(id.get("created"));
        assertThat(ids(t, b -> b.setResourceArn(roleArn(r1)))).containsExactly(id.get("issued"));
        // Filters combine with AND
        assertThat(ids(t, b -> b.setEventName("AssumeRole").setOutcome("Success"))).containsExactly(id.get("issued"));
        assertThat(ids(t, b -> b.setPrincipalArn(userArn(u1)).setErrorCode("AccessDenied"))).isEmpty();
        assertThat(ids(t, b -> b.setSessionName("nobody-" + tag))).isEmpty();
    }

    @Test
    void aFilterThatCannotBeStoredIsTheCallersError() {
        StatusRuntimeException longName = catchThrowableOfType(StatusRuntimeException.class, () -> admin.lookupEvents(
                LookupEventsRequest.newBuilder().setLookupAttributes(LookupAttributes.newBuilder()
                        .setSessionName("s".repeat(65))).build()));
        assertThat(longName.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.reason(longName)).isEqualTo("ValidationError");
        assertThat(longName.getStatus().getDescription()).contains("session_name");

        StatusRuntimeException outcome = catchThrowableOfType(StatusRuntimeException.class, () -> admin.lookupEvents(
                LookupEventsRequest.newBuilder().setLookupAttributes(LookupAttributes.newBuilder().setOutcome("Maybe")).build()));
        assertThat(outcome.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        StatusRuntimeException arn = catchThrowableOfType(StatusRuntimeException.class, () -> admin.lookupEvents(
                LookupEventsRequest.newBuilder().setLookupAttributes(LookupAttributes.newBuilder()
                        .setResourceArn("arn:" + "x".repeat(2048))).build()));
        assertThat(GrpcErrors.reason(arn)).isEqualTo("ValidationError");

        StatusRuntimeException token = catchThrowableOfType(StatusRuntimeException.class, () -> admin.lookupEvents(
                LookupEventsRequest.newBuilder().setPageToken("not-a-token").build()));
        assertThat(GrpcErrors.reason(token)).isEqualTo("ValidationError");
    }

    /**
     * The cursor is a position, not an offset: records stored while a caller pages never make it see
     * one twice or miss one that was there when it started, and a record stored older than the
     * cursor (a late arrival) is in a later page, once.
     */
    @Test
    void pagingWhileRecordsArriveSkipsAndRepeatsNothing() throws Exception {
        Instant t = window();
        String tag = unique();
        String principal = "pager-" + tag;
        List<StsEvent> before = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // 20 s apart, so that later arrivals fit between them
            before.add(roleChanged(user(principal), "PutRolePolicy", roleArn("Paged" + i + "-" + tag), null, t.plusSeconds(20L * i + 100)));
        }
        trail.publishAndAwait(before);
        Set<String> expected = before.stream().map(TrailEvents::eventId).collect(Collectors.toSet());

        List<AuditRecord> seen = new ArrayList<>();
        Set<String> lateOlderThanCursor = new HashSet<>();
        Set<String> lateAboveCursor = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            LookupEventsResponse page = admin.lookupEvents(LookupEventsRequest.newBuilder()
                    .setStartTime(TrailEvents.ts(t)).setEndTime(TrailEvents.ts(t.plusSeconds(3600)))
                    .setLookupAttributes(LookupAttributes.newBuilder().setPrincipalArn(userArn(principal)))
                    .setPageSize(7).setPageToken(token).build());
            seen.addAll(page.getEventsList());
            token = page.getNextPageToken();
            pages++;
            if (!token.isEmpty()) {
                AuditRecord last = page.getEvents(page.getEventsCount() - 1);
                Instant cursor = Instant.ofEpochSecond(last.getEventTime().getSeconds());
                // While the caller holds a token: one record newer than all, one among those already
                // read, one just below the cursor, stored before the next page is asked for.
                StsEvent newer = roleChanged(user(principal), "PutRolePolicy", roleArn("New" + pages + "-" + tag), null,
                        t.plusSeconds(2000 + pages));
                StsEvent amongRead = roleChanged(user(principal), "PutRolePolicy", roleArn("Mid" + pages + "-" + tag), null,
                        cursor.plusSeconds(10));
                StsEvent older = roleChanged(user(principal), "PutRolePolicy", roleArn("Old" + pages + "-" + tag), null,
                        cursor.minusSeconds(10));
                trail.publishAndAwait(newer, amongRead, older);
                lateOlderThanCursor.add(eventId(older));
                lateAboveCursor.add(eventId(newer));
                lateAboveCursor.add(eventId(amongRead));
            }
        } while (!token.isEmpty());

        List<String> seenIds = seen.stream().map(AuditRecord::getEventId).toList();
        assertThat(seenIds).doesNotHaveDuplicates();
        assertThat(seenIds).containsAll(expected);
        assertThat(seenIds).containsAll(lateOlderThanCursor);
        // positions already passed stay passed
        assertThat(seenIds).doesNotContainAnyElementsOf(lateAboveCursor);
        assertThat(pages).isGreaterThan(6);
        // newest first throughout
        List<Long> times = seen.stream().map(r -> r.getEventTime().getSeconds()).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }
}
