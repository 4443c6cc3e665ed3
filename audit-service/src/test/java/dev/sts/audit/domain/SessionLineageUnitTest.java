package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.UserIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The walk's bounds, over a hand-written log: shapes a real token-service never produces (a loop, a
 * chain longer than the walk follows, a fan-out beyond the caller's maximum) end it as incomplete
 * or truncated instead of running on.
 */
class SessionLineageUnitTest {
    /** Issuing records by session id, in insertion order. */
    static final class FakeReader implements AuditReader {
        final List<StoredRecord> rows = new ArrayList<>();
        int queries;

        void issue(String session, String parentSession) {
            UserIdentity.Builder actor = UserIdentity.newBuilder().setType(parentSession == null ? "IAMUser" : "AssumedRole")
                    .setArn(parentSession == null ? "arn:aws:iam::000000000000:user/u" : "arn:aws:sts::000000000000:assumed-role/R/" + parentSession);
            if (parentSession != null) {
                actor.setSessionContext(SessionContext.newBuilder().setSessionId(parentSession).setChainDepth(1));
            }
            rows.add(new StoredRecord(rows.size() + 1, AuditRecord.newBuilder().setEventName("AssumeRole").setSessionId(session)
                    .setAccessKeyId("ASIA" + session).setUserIdentity(actor).setEventTime(Timestamp.newBuilder().setSeconds(rows.size()))
                    .setRequestParameters(Struct.newBuilder().putFields("roleSessionName", Value.newBuilder().setStringValue(session).build()))
                    .build()));
        }

        @Override
        public List<StoredRecord> exportPage(AuditQuery query, Cursor after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredRecord> sessionIssued(String sessionId) {
            queries++;
            return rows.stream().filter(r -> r.record().getSessionId().equals(sessionId)).findFirst();
        }

        @Override
        public Optional<StoredRecord> sessionIssuedForAccessKey(String accessKeyId) {
            return rows.stream().filter(r -> r.record().getAccessKeyId().equals(accessKeyId)).findFirst();
        }

        @Override
        public List<StoredRecord> sessionsIssuedTo(String callerSessionId, int limit) {
            queries++;
            return rows.stream().filter(r -> r.record().getUserIdentity().getSessionContext().getSessionId().equals(callerSessionId))
                    .limit(limit).toList();
        }
    }

    @Test
    void aLoopEndsTheWalkBackAsIncomplete() {
        FakeReader log = new FakeReader();
        log.issue("a", "b");
        log.issue("b", "a");
        SessionLineage.Lineage l = new SessionLineage(log).ofSession("a", 0);
        assertThat(l.back()).extracting(SessionLineage.Hop::sessionId).containsExactly("a", "b");
        assertThat(l.complete()).isFalse();
        // forward, the loop is not followed again either
        assertThat(l.derived()).extracting(SessionLineage.Hop::sessionId).containsExactly("b");
    }

    @Test
    void theWalkBackStopsAfterMaxDepthHops() {
        FakeReader log = new FakeReader();
        log.issue("s0", null);
        for (int i = 1; i < 100; i++) {
            log.issue("s" + i, "s" + (i - 1));
        }
        SessionLineage.Lineage l = new SessionLineage(log).ofSession("s99", 1);
        assertThat(l.back()).hasSize(SessionLineage.MAX_DEPTH);
        assertThat(l.complete()).isFalse();

        SessionLineage.Lineage whole = new SessionLineage(log).ofSession("s40", 1);
        assertThat(whole.back()).hasSize(41);
        assertThat(whole.complete()).isTrue();
        assertThat(whole.origin().getType()).isEqualTo("IAMUser");
        assertThat(whole.back().get(40).chainDepth()).isEqualTo(1);
    }

    @Test
    void theWalkForwardStopsAtTheCallersMaximumAndSaysSo() {
        FakeReader log = new FakeReader();
        log.issue("root", null);
        for (int i = 0; i < 30; i++) {
            log.issue("child" + i, "root");
        }
        SessionLineage lineage = new SessionLineage(log);
        SessionLineage.Lineage l = lineage.ofSession("root", 10);
        assertThat(l.derived()).hasSize(10);
        assertThat(l.derivedTruncated()).isTrue();
        SessionLineage.Lineage all = lineage.ofSession("root", 30);
        assertThat(all.derived()).hasSize(30);
        assertThat(all.derivedTruncated()).isFalse();
    }

    @Test
    void theWalkForwardStopsBelowMaxDepth() {
        FakeReader log = new FakeReader();
        log.issue("d0", null);
        for (int i = 1; i < 100; i++) {
            log.issue("d" + i, "d" + (i - 1));
        }
        SessionLineage.Lineage l = new SessionLineage(log).ofSession("d0", 1000);
        assertThat(l.derived()).hasSize(SessionLineage.MAX_DEPTH);
        assertThat(l.derivedTruncated()).isTrue();
    }

    @Test
    void inputIsBoundedBeforeAnyQuery() {
        FakeReader log = new FakeReader();
        SessionLineage lineage = new SessionLineage(log);
        assertThatThrownBy(() -> lineage.ofSession("x".repeat(129), 0)).isInstanceOf(StsException.class);
        assertThatThrownBy(() -> lineage.ofAccessKey("", 0)).isInstanceOf(StsException.class);
        assertThatThrownBy(() -> lineage.ofSession("a", -1)).isInstanceOf(StsException.class);
        assertThatThrownBy(() -> lineage.ofSession("a", 1001)).isInstanceOf(StsException.class);
        assertThat(log.queries).isZero();
    }
}
