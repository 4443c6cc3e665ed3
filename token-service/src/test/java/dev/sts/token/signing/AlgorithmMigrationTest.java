package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionTokenProcessor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.token.domain.SignedSession;
import dev.sts.token.persistence.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deployment whose current key is ES256 moves to EdDSA at its next rotation once
 * {@code sts.token.signing.algorithm} says EdDSA: the ES256 key keeps signing until its window ends,
 * the EdDSA key is pre-published a lead ahead, tokens of both verify with the checks every service
 * applies (service-kit's {@link SessionTokenProcessor}), and the ES256 key leaves the JWK set once
 * its last token expired (docs/adr/019-ed25519-session-tokens.md).
 */
class AlgorithmMigrationTest {
    static final Duration DAY = KeyRotationScheduleTest.DAY;
    static final Duration LEAD = KeyRotationScheduleTest.LEAD;
    static final Duration TICK = KeyRotationScheduleTest.TICK;

    final KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
    final KeyManagerClockTest.MemoryStore store = new KeyManagerClockTest.MemoryStore();
    final Instant start = clock.now;

    KeyManager replica(SigningAlgorithm algorithm) {
        return new KeyManager(store, KeyManagerClockTest.KEK, new KeySchedule(DAY, LEAD, TICK), clock, algorithm);
    }

    /** As token-service's LocalSessionTokenVerifier and every other service verify: Nimbus over the published set. */
    SessionTokenProcessor verifier(KeyManager keys) {
        JWKSource<SecurityContext> source = (selector, ctx) -> selector.select(keys.publicKeys());
        return new SessionTokenProcessor(source, "sts", "https://sts.test", Duration.ofSeconds(30), 0, clock);
    }

    void tick(Instant until, KeyManager keys) {
        while (clock.now.isBefore(until)) {
            clock.now = clock.now.plus(TICK);
            keys.refresh();
        }
    }

    static KeyType type(KeyManager keys, String kid) {
        JWK key = keys.publicKeys().getKeyByKeyId(kid);
        return key == null ? null : key.getKeyType();
    }

    @Test
    void anEs256DeploymentMovesToEdDsaAtItsNextRotationAndItsTokensVerifyUntilTheyExpire() throws Exception {
        KeyManager before = replica(SigningAlgorithm.ES256);
        String es = before.current().kid();
        assertThat(before.current().algorithm()).isEqualTo(SigningAlgorithm.ES256);

        // Redeployed with the new setting two hours in: the current key keeps its algorithm and signs on.
        tick(start.plus(Duration.ofHours(2)), before);
        KeyManager keys = replica(SigningAlgorithm.EdDSA);
        SessionMinter minter = new SessionMinter(keys);
        SessionTokenProcessor verifier = verifier(keys);
        assertThat(keys.current().kid()).isEqualTo(es);
        SignedSession early = minter.sign(KeyRotationScheduleTest.claims(clock.now, Duration.ofHours(1)));
        assertThat(SignedJWT.parse(early.token()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyType).containsOnly(KeyType.EC);

        // The next key is written a lead before it signs, and it is an Ed25519 key, published while ES256 still signs.
        tick(start.plus(DAY).minus(LEAD), keys);
        List<SigningKeyStore.Row> next = store.rows.stream().filter(r -> !r.kid().equals(es)).toList();
        assertThat(next).singleElement().satisfies(r -> {
            assertThat(r.algorithm()).isEqualTo("EdDSA");
            assertThat(r.signFrom()).isEqualTo(start.plus(DAY));
        });
        String ed = next.get(0).kid();
        assertThat(type(keys, ed)).isEqualTo(KeyType.OKP);
        assertThat(type(keys, es)).isEqualTo(KeyType.EC);
        assertThat(keys.current().kid()).isEqualTo(es);

        // The longest ES256 session, signed a minute before the switch.
        tick(start.plus(DAY).minus(TICK), keys);
        SignedSession lastEs = minter.sign(KeyRotationScheduleTest.claims(clock.now, KeyManager.MAX_SESSION));
        assertThat(lastEs.kid()).isEqualTo(es);
        assertThat(SignedJWT.parse(lastEs.token()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);

        tick(start.plus(DAY), keys);
        assertThat(keys.current().kid()).isEqualTo(ed);
        assertThat(keys.current().algorithm()).isEqualTo(SigningAlgorithm.EdDSA);
        SignedSession firstEd = minter.sign(KeyRotationScheduleTest.claims(clock.now, Duration.ofHours(11)));
        assertThat(firstEd.kid()).isEqualTo(ed);
        assertThat(SignedJWT.parse(firstEd.token()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);

        // Both verify, through the ES256 key's retirement (its private key destroyed, its public key still published).
        assertThat(verifier.process(lastEs.token()).sessionId()).isEqualTo(lastEs.claims().sessionId());
        assertThat(verifier.process(firstEd.token()).sessionId()).isEqualTo(firstEd.claims().sessionId());
        tick(start.plus(DAY).plus(Duration.ofHours(10)), keys);
        assertThat(store.rows.stream().filter(r -> r.kid().equals(es)).findFirst().orElseThrow().sealVersion())
                .isEqualTo(SealedKeys.RETIRED);
        assertThat(verifier.process(lastEs.token()).sessionId()).isEqualTo(lastEs.claims().sessionId());
        assertThat(verifier.process(firstEd.token()).sessionId()).isEqualTo(firstEd.claims().sessionId());

        // The ES256 key is published until its last token has expired (plus the leeway), then leaves the set.
        Instant esPublishUntil = store.rows.stream().filter(r -> r.kid().equals(es)).findFirst().orElseThrow().publishUntil();
        assertThat(esPublishUntil).isAfterOrEqualTo(lastEs.claims().expiresAt().plus(KeySchedule.LEEWAY));
        clock.now = lastEs.claims().expiresAt().minusSeconds(1);
        assertThat(verifier.process(lastEs.token()).sessionId()).isEqualTo(lastEs.claims().sessionId());
        clock.now = esPublishUntil.minusMillis(1);
        assertThat(type(keys, es)).isEqualTo(KeyType.EC);
        clock.now = esPublishUntil;
        assertThat(type(keys, es)).isNull();
        keys.refresh();
        assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyType).containsOnly(KeyType.OKP);
        Throwable refused = catchThrowable(() -> verifier.process(lastEs.token()));
        assertThat(refused).isInstanceOf(StsException.class);
        // Refused for its unknown key before its claims are looked at.
        assertThat(((StsException) refused).code()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void aDeploymentConfiguredForEs256KeepsWritingEs256Keys() {
        KeyManager keys = replica(SigningAlgorithm.ES256);
        tick(start.plus(DAY.multipliedBy(2)), keys);
        assertThat(store.rows).hasSize(3).extracting(SigningKeyStore.Row::algorithm).containsOnly("ES256");
        assertThat(keys.current().algorithm()).isEqualTo(SigningAlgorithm.ES256);
    }
}
