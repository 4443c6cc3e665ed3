package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.token.domain.SignedSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The minter's once-per-key check against the published key, and what it signs. */
class SessionMinterTest {
    static final KeySchedule SCHEDULE = new KeySchedule(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1));

    static SessionClaims claims(Instant now, Duration lifetime) {
        return new SessionClaims("issuer", "sts", "s-1", "arn:aws:sts::000000000000:assumed-role/R/worker",
                "arn:aws:iam::000000000000:role/R", "AROAEXAMPLE", "worker", "000000000000", null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", now, now.plus(lifetime), 1, "ec2.amazonaws.com", null, null);
    }

    @Test
    void signsWithTheCurrentKeyATokenThatVerifiesWithThePublishedKey() throws Exception {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager keys = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock);
        SessionMinter minter = new SessionMinter(keys);

        SignedSession first = minter.sign(claims(clock.now, Duration.ofHours(1)));
        SignedSession second = minter.sign(claims(clock.now, Duration.ofHours(1)));

        for (SignedSession s : List.of(first, second)) {
            SignedJWT jwt = SignedJWT.parse(s.token());
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.current().kid()).isEqualTo(s.kid());
            assertThat(jwt.getHeader().getType().getType()).isEqualTo(SessionClaims.TOKEN_TYPE);
            ECKey published = (ECKey) keys.publicKeys().getKeyByKeyId(s.kid());
            assertThat(jwt.verify(new ECDSAVerifier(published))).isTrue();
        }
        // Two signatures of the same claims differ (ECDSA's random nonce): each token is really signed.
        assertThat(first.token()).isNotEqualTo(second.token());
    }

    @Test
    void aKeyRotatedInIsCheckedAndUsed() throws Exception {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager keys = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock);
        SessionMinter minter = new SessionMinter(keys);
        String before = minter.sign(claims(clock.now, Duration.ofHours(1))).kid();

        clock.now = clock.now.plus(Duration.ofDays(1));
        SignedSession after = minter.sign(claims(clock.now, Duration.ofHours(1)));

        assertThat(after.kid()).isNotEqualTo(before).isEqualTo(keys.current().kid());
        ECKey published = (ECKey) keys.publicKeys().getKeyByKeyId(after.kid());
        assertThat(SignedJWT.parse(after.token()).verify(new ECDSAVerifier(published))).isTrue();
    }

    @Test
    void refusesToSignWithAKeyWhosePublishedPublicKeyIsAnother() throws Exception {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager real = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock);
        String kid = real.current().kid();
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(kid).generate().toPublicJWK();
        KeyManager mismatched = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock) {
            @Override
            public SigningKey current() {
                return real.current();
            }

            @Override
            public JWKSet publicKeys() {
                return new JWKSet(impostor);
            }
        };
        SessionMinter minter = new SessionMinter(mismatched);

        assertThatThrownBy(() -> minter.sign(claims(clock.now, Duration.ofHours(1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(kid);
        // and it keeps refusing: a failed check arms nothing
        assertThatThrownBy(() -> minter.sign(claims(clock.now, Duration.ofHours(1))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToSignWithAKeyThatIsNotPublished() {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager real = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock);
        KeyManager unpublished = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock) {
            @Override
            public SigningKey current() {
                return real.current();
            }

            @Override
            public JWKSet publicKeys() {
                return new JWKSet();
            }
        };
        assertThatThrownBy(() -> new SessionMinter(unpublished).sign(claims(clock.now, Duration.ofHours(1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not published");
    }
}
