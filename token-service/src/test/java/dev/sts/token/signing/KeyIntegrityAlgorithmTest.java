package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import dev.sts.token.persistence.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A row is trusted only with a key of its algorithm's type, even when the key-encryption key sealed
 * it: an EC key under "EdDSA", an OKP key under "ES256", or any other algorithm name is refused, for
 * a signing row and for a retired one (docs/adr/019-ed25519-session-tokens.md).
 */
class KeyIntegrityAlgorithmTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final SealedKeys SEALED = new SealedKeys(KeyManagerClockTest.KEK);
    static final KeyIntegrity INTEGRITY = new KeyIntegrity(SEALED, Duration.ofDays(1));

    /** A row sealed under the KEK, bound to its facts, holding {@code key} under the name {@code algorithm}. */
    static SigningKeyStore.Row row(String algorithm, JWK key) {
        Instant signUntil = T.plus(Duration.ofDays(1));
        Instant publishUntil = signUntil.plus(KeyManager.MAX_SESSION).plus(KeySchedule.LEEWAY);
        SealedKeys.Binding binding = new SealedKeys.Binding(key.getKeyID(), algorithm, key.toPublicJWK().toJSONString(), T,
                signUntil, publishUntil);
        return new SigningKeyStore.Row(key.getKeyID(), algorithm, binding.publicJwk(), SEALED.seal(binding, key.toJSONString()),
                T, T, signUntil, publishUntil, SealedKeys.BOUND);
    }

    static SigningKeyStore.Row retired(SigningKeyStore.Row row) {
        SealedKeys.Binding binding = new SealedKeys.Binding(row.kid(), row.algorithm(), row.publicJwk(), row.createdAt(),
                row.signUntil(), row.publishUntil());
        return new SigningKeyStore.Row(row.kid(), row.algorithm(), row.publicJwk(), SEALED.sealRetired(binding, row.publicJwk()),
                row.createdAt(), row.signFrom(), row.signUntil(), row.publishUntil(), SealedKeys.RETIRED);
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void aKeyOfItsAlgorithmsTypeIsTrustedSigningAndRetired(SigningAlgorithm algorithm) throws Exception {
        SigningKeyStore.Row row = row(algorithm.jws().getName(), algorithm.generate("sts-" + algorithm));
        KeyIntegrity.Trusted trusted = INTEGRITY.verify(row);
        assertThat(trusted.algorithm()).isEqualTo(algorithm);
        assertThat(trusted.canSign()).isTrue();
        assertThat(trusted.publicKey().isPrivate()).isFalse();
        assertThat(trusted.publicKey().getKeyType()).isEqualTo(algorithm == SigningAlgorithm.EdDSA ? KeyType.OKP : KeyType.EC);

        KeyIntegrity.Trusted old = INTEGRITY.verify(retired(row));
        assertThat(old.canSign()).isFalse();
        assertThat(old.algorithm()).isEqualTo(algorithm);
    }

    @ParameterizedTest
    @CsvSource({"EdDSA, ES256", "ES256, EdDSA", "HS256, ES256", "HS256, EdDSA", "none, EdDSA", "eddsa, EdDSA",
            "Ed25519, EdDSA", "RS256, ES256"})
    void aKeyUnderAnotherAlgorithmsNameIsRefusedEvenWhenSealed(String named, SigningAlgorithm actual) throws Exception {
        SigningKeyStore.Row row = row(named, actual.generate("sts-crossed"));
        assertThatThrownBy(() -> INTEGRITY.verify(row)).isInstanceOf(KeyIntegrity.Refused.class);
        assertThatThrownBy(() -> INTEGRITY.verify(retired(row))).isInstanceOf(KeyIntegrity.Refused.class);
    }
}
