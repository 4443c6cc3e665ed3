package dev.sts.kit.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.events.CompactedTopicReader;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which sessions each kind of rule covers, at the boundaries, and how records and expiry change them. */
class RevocationRulesTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    static final String ROLE = "arn:aws:iam::000000000000:role/S3AccessRole";
    static final String OTHER_ROLE = "arn:aws:iam::000000000000:role/Other";
    static final Duration LIFE = Duration.ofHours(12);

    static SessionClaims session(String id, String roleArn, String sourceIdentity, Instant issuedAt) {
        return new SessionClaims("https://sts.test", "sts", id, "arn:aws:sts::000000000000:assumed-role/x/s", roleArn,
                "AROAEXAMPLE", "s", "000000000000", sourceIdentity, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", issuedAt,
                issuedAt.plusSeconds(3600), 1, "arn:aws:iam::000000000000:root", null);
    }

    static SessionsRevoked.Builder revoked(String id, Instant revokedAt) {
        return SessionsRevoked.newBuilder().setRevocationId(id).setRevokedAt(Timestamps.of(revokedAt))
                .setExpiresAt(Timestamps.of(revokedAt.plus(LIFE)));
    }

    static byte[] bytes(SessionsRevoked.Builder e) {
        return StsEvent.newBuilder().setSessionsRevoked(e).build().toByteArray();
    }

    final RevocationRules rules = new RevocationRules();

    @Test
    void bySessionIdOnlyThatSession() {
        assertThat(rules.apply("r1", bytes(revoked("r1", T).setSessionId("s-1")), T)).isEqualTo(CompactedTopicReader.APPLIED);
        assertThat(rules.revocationOf(session("s-1", ROLE, null, T.plusSeconds(5)))).contains("r1");
        assertThat(rules.revocationOf(session("s-2", ROLE, null, T.minusSeconds(5)))).isEmpty();
    }

    @Test
    void byRoleSessionsIssuedBeforeRevokedAtOnly() {
        rules.apply("r1", bytes(revoked("r1", T).setRoleArn(ROLE)), T);
        assertThat(rules.revocationOf(session("a", ROLE, null, T.minusSeconds(1)))).contains("r1");
        // iat == revoked_at: issued at (not before) the revocation, so a new session stays valid.
        assertThat(rules.revocationOf(session("b", ROLE, null, T))).isEmpty();
        assertThat(rules.revocationOf(session("c", ROLE, null, T.plusSeconds(1)))).isEmpty();
        assertThat(rules.revocationOf(session("d", OTHER_ROLE, null, T.minusSeconds(1)))).isEmpty();
        // Role names are unique regardless of case: the same role.
        assertThat(rules.revocationOf(session("e", ROLE.toLowerCase(), null, T.minusSeconds(1)))).contains("r1");
    }

    @Test
    void bySourceIdentityIssuedBeforeRevokedAtOnly() {
        rules.apply("r1", bytes(revoked("r1", T).setSourceIdentity("alice")), T);
        assertThat(rules.revocationOf(session("a", ROLE, "alice", T.minusSeconds(1)))).contains("r1");
        assertThat(rules.revocationOf(session("b", ROLE, "alice", T))).isEmpty();
        assertThat(rules.revocationOf(session("c", ROLE, "Alice", T.minusSeconds(1)))).isEmpty();
        assertThat(rules.revocationOf(session("d", ROLE, null, T.minusSeconds(1)))).isEmpty();
    }

    @Test
    void byIssueTimeTheLatestCutOffCounts() {
        rules.apply("r1", bytes(revoked("r1", T).setIssuedBefore(Timestamps.of(T.minusSeconds(60)))), T);
        rules.apply("r2", bytes(revoked("r2", T).setIssuedBefore(Timestamps.of(T.minusSeconds(10)))), T);
        assertThat(rules.revocationOf(session("a", ROLE, null, T.minusSeconds(11)))).contains("r2");
        assertThat(rules.revocationOf(session("b", OTHER_ROLE, null, T.minusSeconds(61)))).isPresent();
        assertThat(rules.revocationOf(session("c", ROLE, null, T.minusSeconds(10)))).isEmpty();
        // Removing the later rule leaves the earlier one in force.
        assertThat(rules.apply("r2", null, T)).isEqualTo(CompactedTopicReader.REMOVED);
        assertThat(rules.revocationOf(session("a", ROLE, null, T.minusSeconds(11)))).isEmpty();
        assertThat(rules.revocationOf(session("b", ROLE, null, T.minusSeconds(61)))).contains("r1");
    }

    @Test
    void twoRulesOfOneRoleTheLaterCoversMoreAndEachRemovesOnlyItself() {
        rules.apply("r1", bytes(revoked("r1", T).setRoleArn(ROLE)), T);
        rules.apply("r2", bytes(revoked("r2", T.plusSeconds(100)).setRoleArn(ROLE)), T);
        SessionClaims between = session("a", ROLE, null, T.plusSeconds(50));
        assertThat(rules.revocationOf(between)).contains("r2");
        rules.apply("r2", null, T);
        assertThat(rules.revocationOf(between)).isEmpty();
        assertThat(rules.revocationOf(session("b", ROLE, null, T.minusSeconds(1)))).contains("r1");
    }

    @Test
    void expiredRulesAreDroppedAndRecordsThatAreNotRulesAreSkipped() {
        rules.apply("r1", bytes(revoked("r1", T).setRoleArn(ROLE)), T);
        assertThat(rules.expire(T.plus(LIFE).minusMillis(1))).isZero();
        assertThat(rules.expire(T.plus(LIFE))).isEqualTo(1);
        assertThat(rules.size()).isZero();
        // A record read after its expiry adds nothing.
        assertThat(rules.apply("r3", bytes(revoked("r3", T).setRoleArn(ROLE)), T.plus(LIFE))).isEqualTo(CompactedTopicReader.APPLIED);
        assertThat(rules.size()).isZero();

        assertThat(rules.apply("other", bytes(revoked("r4", T).setRoleArn(ROLE)), T)).isEqualTo("key-mismatch");
        assertThat(rules.apply("r5", bytes(revoked("r5", T)), T)).isEqualTo("incomplete");
        assertThat(rules.apply("r6", new byte[] {(byte) 0xff, 0x01}, T)).isEqualTo("undecodable");
        assertThat(rules.apply(null, null, T)).isEqualTo("no-key");
        assertThat(rules.size()).isZero();
    }
}
