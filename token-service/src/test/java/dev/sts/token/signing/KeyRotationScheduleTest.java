package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.token.domain.SignedSession;
import dev.sts.token.persistence.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rotation schedule driven by a fake clock, with the key manager's refresh run at every tick of
 * its refresh interval as {@code KeyRefresh} runs it: keys are written a lead ahead, published
 * before they sign, published until every token they signed has expired, then gone; private keys
 * are destroyed once a key stops signing; replicas over one store agree.
 */
class KeyRotationScheduleTest {
    static final Duration DAY = Duration.ofDays(1);
    static final Duration LEAD = Duration.ofHours(1);
    static final Duration TICK = Duration.ofMinutes(1);

    final KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
    final KeyManagerClockTest.MemoryStore store = new KeyManagerClockTest.MemoryStore();
    final Instant start = clock.now;

    KeyManager replica() {
        return new KeyManager(store, KeyManagerClockTest.KEK, new KeySchedule(DAY, LEAD, TICK), clock);
    }

    /** Runs every replica's refresh at each tick until {@code until}, checking {@code atTick} after each. */
    void tick(Instant until, List<KeyManager> replicas, Runnable atTick) {
        while (clock.now.isBefore(until)) {
            clock.now = clock.now.plus(TICK);
            replicas.forEach(KeyManager::refresh);
            atTick.run();
        }
    }

    @Test
    void aTokenStaysVerifiableAfterTheNextKeySignsUntilItsKeyIsRetiredThenIsRefused() throws Exception {
        KeyManager keys = replica();
        SessionMinter minter = new SessionMinter(keys);
        String a = keys.current().kid();

        // The longest session, signed one minute before the key's signing period ends.
        tick(start.plus(DAY).minus(TICK), List.of(keys), () -> { });
        SignedSession token = minter.sign(claims(clock.now, KeyManager.MAX_SESSION));
        assertThat(token.kid()).isEqualTo(a);
        assertThat(token.claims().expiresAt()).as("not capped: within the key's publication")
                .isEqualTo(clock.now.plus(KeyManager.MAX_SESSION));

        tick(start.plus(DAY), List.of(keys), () -> { });
        String b = keys.current().kid();
        assertThat(b).isNotEqualTo(a);
        assertThat(verifies(keys, token)).isTrue();

        // Verifiable at every tick up to its expiry and beyond by the leeway, while key A is published.
        Instant publishUntil = store.rows.stream().filter(r -> r.kid().equals(a)).findFirst().orElseThrow().publishUntil();
        assertThat(publishUntil).isAfterOrEqualTo(token.claims().expiresAt().plus(KeySchedule.LEEWAY));
        tick(publishUntil.minus(TICK), List.of(keys), () -> assertThat(verifies(keys, token)).as("at " + clock.now).isTrue());

        clock.now = publishUntil.minusMillis(1);
        assertThat(verifies(keys, token)).isTrue();
        // Gone at the end of its publication, even before the next database read.
        clock.now = publishUntil;
        assertThat(verifies(keys, token)).isFalse();
        keys.refresh();
        assertThat(KeyManagerClockTest.kids(keys)).doesNotContain(a).contains(b);
    }

    @Test
    void aTokenNeverOutlivesItsKeysPublication() {
        KeyManager keys = replica();
        SignedSession token = new SessionMinter(keys).sign(claims(clock.now, Duration.ofDays(30)));
        assertThat(token.claims().expiresAt()).isEqualTo(keys.current().latestExpiry())
                .isEqualTo(keys.current().publishUntil().minus(KeySchedule.LEEWAY));
    }

    @Test
    void theNextKeyIsPublishedAtLeastTheLeadBeforeItSigns() {
        KeyManager keys = replica();
        Map<String, Instant> firstPublished = new HashMap<>();
        Map<String, Instant> firstSigned = new HashMap<>();
        Runnable observe = () -> {
            KeyManagerClockTest.kids(keys).forEach(kid -> firstPublished.putIfAbsent(kid, clock.now));
            firstSigned.putIfAbsent(keys.current().kid(), clock.now);
        };
        observe.run();
        tick(start.plus(DAY.multipliedBy(3)), List.of(keys), observe);

        assertThat(firstSigned).hasSize(4); // the first key and one per day
        firstSigned.forEach((kid, signed) -> {
            if (!signed.equals(start)) {
                assertThat(Duration.between(firstPublished.get(kid), signed)).as(kid).isGreaterThanOrEqualTo(LEAD);
            }
        });
        // One key per period: the schedule never writes a spare.
        assertThat(store.rows).hasSize(4);
        assertThat(store.rows).extracting(SigningKeyStore.Row::signFrom)
                .containsExactlyInAnyOrder(start, start.plus(DAY), start.plus(DAY.multipliedBy(2)), start.plus(DAY.multipliedBy(3)));
    }

    @Test
    void twoReplicasOverOneStoreSignWithTheSameKeyAndPublishTheSameSet() {
        KeyManager one = replica();
        KeyManager two = replica();
        assertThat(two.current().kid()).isEqualTo(one.current().kid());
        tick(start.plus(DAY.multipliedBy(2)), List.of(one, two), () -> {
            assertThat(two.current().kid()).as("at " + clock.now).isEqualTo(one.current().kid());
            assertThat(two.published().etag()).as("at " + clock.now).isEqualTo(one.published().etag());
        });
        assertThat(store.rows).hasSize(3);
    }

    @Test
    void aKeyLosesItsPrivateKeyOnceItStopsSigningButStaysPublished() throws Exception {
        KeyManager keys = replica();
        String a = keys.current().kid();
        tick(start.plus(DAY).plus(KeySchedule.LEEWAY), List.of(keys), () -> { });

        SigningKeyStore.Row row = store.rows.stream().filter(r -> r.kid().equals(a)).findFirst().orElseThrow();
        assertThat(row.sealVersion()).isEqualTo(SealedKeys.RETIRED);
        SealedKeys.Binding binding = new SealedKeys.Binding(row.kid(), row.algorithm(), row.publicJwk(), row.createdAt(),
                row.signUntil(), row.publishUntil());
        String stored = new SealedKeys(KeyManagerClockTest.KEK).openRetired(binding, row.sealedPrivateJwk());
        assertThat(JWK.parse(stored).isPrivate()).isFalse();
        assertThat(stored).doesNotContain("\"d\"");
        assertThat(KeyManagerClockTest.kids(keys)).contains(a);

        // A fresh replica trusts the retired row, publishes it and never signs with it.
        KeyManager fresh = replica();
        assertThat(KeyManagerClockTest.kids(fresh)).contains(a);
        assertThat(fresh.current().kid()).isNotEqualTo(a);
    }

    @Test
    void aRetiredSealDoesNotOpenAsAPrivateKeyNorTheOtherWayRound() {
        SealedKeys sealed = new SealedKeys(KeyManagerClockTest.KEK);
        SealedKeys.Binding binding = SealedKeysBindingTest.ROW;
        assertThatThrownBy(() -> sealed.open(binding, sealed.sealRetired(binding, "{}"))).hasMessageContaining("cannot be opened");
        assertThatThrownBy(() -> sealed.openRetired(binding, sealed.seal(binding, "{}"))).hasMessageContaining("cannot be opened");
    }

    @Test
    void aSigningStartMovedOutsideItsWindowIsRefused() {
        KeyManager keys = replica();
        String a = keys.current().kid();
        SigningKeyStore.Row row = store.rows.get(0);
        store.rows.set(0, new SigningKeyStore.Row(row.kid(), row.algorithm(), row.publicJwk(), row.sealedPrivateJwk(),
                row.createdAt(), row.createdAt().minusSeconds(1), row.signUntil(), row.publishUntil(), row.sealVersion()));
        keys.refresh();
        assertThat(KeyManagerClockTest.kids(keys)).doesNotContain(a);
        assertThat(keys.current().kid()).isNotEqualTo(a);
    }

    @Test
    void theScheduleIsCheckedAtStart() {
        assertThatThrownBy(() -> new KeySchedule(Duration.ofMinutes(59), Duration.ofMinutes(30), TICK))
                .hasMessageContaining("sts.token.key-signing-period is PT59M; it must be at least PT1H");
        assertThatThrownBy(() -> new KeySchedule(DAY, DAY, TICK))
                .hasMessageContaining("sts.token.key-pre-publication is PT24H; it must be shorter than sts.token.key-signing-period");
        assertThatThrownBy(() -> new KeySchedule(DAY, LEAD, Duration.ZERO))
                .hasMessageContaining("sts.token.key-refresh-interval is PT0S");
        assertThatThrownBy(() -> new KeySchedule(DAY, Duration.ofMinutes(20), TICK).requireLeadCovers(Duration.ofMinutes(10)))
                .hasMessageContaining("it must be at least PT22M");
        new KeySchedule(DAY, Duration.ofMinutes(22), TICK).requireLeadCovers(Duration.ofMinutes(10));
        assertThat(new KeySchedule(DAY, LEAD, TICK).jwksMaxAge()).isEqualTo(Duration.ofMinutes(30));
    }

    /** As a verifier does: the key named by the token's kid from the published set, then the signature. */
    static boolean verifies(KeyManager keys, SignedSession session) {
        try {
            SignedJWT jwt = SignedJWT.parse(session.token());
            List<JWK> found = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(keys.publicKeys());
            return found.size() == 1 && jwt.verify(SigningAlgorithm.named(jwt.getHeader().getAlgorithm().getName()).orElseThrow()
                    .verifier(found.get(0)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static SessionClaims claims(Instant now, Duration lifetime) {
        return new SessionClaims("https://sts.test", "sts", UUID.randomUUID().toString(),
                "arn:aws:sts::000000000000:assumed-role/R/s", "arn:aws:iam::000000000000:role/R", "AROAEXAMPLEEXAMPLE00", "s",
                "000000000000", null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", now, now.plus(lifetime), 1,
                "ec2.amazonaws.com", null);
    }
}
