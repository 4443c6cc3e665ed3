package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.token.domain.SignedSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The minter's once-per-key check against the published key, and what it signs, for each algorithm. */
class SessionMinterTest {
    static final KeySchedule SCHEDULE = new KeySchedule(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1));

    static SessionClaims claims(Instant now, Duration lifetime) {
        return claims(now, lifetime, "s-1");
    }

    static SessionClaims claims(Instant now, Duration lifetime, String sessionId) {
        return new SessionClaims("issuer", "sts", sessionId, "arn:aws:sts::000000000000:assumed-role/R/worker",
                "arn:aws:iam::000000000000:role/R", "AROAEXAMPLE", "worker", "000000000000", null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", now, now.plus(lifetime), 1, "ec2.amazonaws.com", null, null);
    }

    static KeyManager manager(KeyManagerClockTest.FakeClock clock, SigningAlgorithm algorithm) {
        return new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE, clock, algorithm);
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void signsWithTheCurrentKeyATokenThatVerifiesWithThePublishedKey(SigningAlgorithm algorithm) throws Exception {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager keys = manager(clock, algorithm);
        SessionMinter minter = new SessionMinter(keys);

        SignedSession first = minter.sign(claims(clock.now, Duration.ofHours(1), "s-1"));
        SignedSession second = minter.sign(claims(clock.now, Duration.ofHours(1), "s-2"));

        for (SignedSession s : List.of(first, second)) {
            SignedJWT jwt = SignedJWT.parse(s.token());
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm.jws());
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.current().kid()).isEqualTo(s.kid());
            assertThat(jwt.getHeader().getType().getType()).isEqualTo(SessionClaims.TOKEN_TYPE);
            JWK published = keys.publicKeys().getKeyByKeyId(s.kid());
            assertThat(algorithm.fits(published)).isTrue();
            assertThat(published.isPrivate()).isFalse();
            assertThat(jwt.verify(algorithm.verifier(published))).isTrue();
        }
        // Each token is really signed: another session's signature is not this one's.
        assertThat(SignedJWT.parse(first.token()).getSignature()).isNotEqualTo(SignedJWT.parse(second.token()).getSignature());
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
        JWK published = keys.publicKeys().getKeyByKeyId(after.kid());
        assertThat(SignedJWT.parse(after.token()).verify(SigningAlgorithm.EdDSA.verifier(published))).isTrue();
    }

    /**
     * A key whose kid is published with another public key never signs: one of its own type (the
     * private key is not the published one's), or one of the other type (an Ed25519 key published as
     * an EC key, or the reverse).
     */
    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void refusesToSignWithAKeyWhosePublishedPublicKeyIsAnother(SigningAlgorithm algorithm) throws Exception {
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        KeyManager real = manager(clock, algorithm);
        String kid = real.current().kid();
        SigningAlgorithm other = algorithm == SigningAlgorithm.EdDSA ? SigningAlgorithm.ES256 : SigningAlgorithm.EdDSA;
        for (JWK impostor : List.of(algorithm.generate(kid).toPublicJWK(), other.generate(kid).toPublicJWK())) {
            KeyManager mismatched = new KeyManager(new KeyManagerClockTest.MemoryStore(), KeyManagerClockTest.KEK, SCHEDULE,
                    clock) {
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
                    .as(impostor.getKeyType().getValue()).isInstanceOf(IllegalStateException.class).hasMessageContaining(kid);
            // and it keeps refusing: a failed check arms nothing
            assertThatThrownBy(() -> minter.sign(claims(clock.now, Duration.ofHours(1))))
                    .isInstanceOf(IllegalStateException.class);
        }
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
