package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.sts.token.persistence.SigningKeyStore;
import java.text.ParseException;
import java.time.Duration;

/**
 * Decides whether a signing-key row may be trusted. The database is not: a row is trusted only
 * when its sealed private key opens under the key-encryption key with the row's facts (kid,
 * algorithm, public key, window) as associated data, and the stored public key is that private
 * key's own. Only then is it published or used.
 */
final class KeyIntegrity {
    /** A verified row and its private key. */
    record Trusted(SigningKeyStore.Row row, ECKey privateKey) {
    }

    /** A row that cannot be trusted; the message says why, never the key material. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final SealedKeys sealed;
    private final Duration signingPeriod;

    KeyIntegrity(SealedKeys sealed, Duration signingPeriod) {
        this.sealed = sealed;
        this.signingPeriod = signingPeriod;
    }

    Trusted verify(SigningKeyStore.Row row) throws Refused {
        if (row.sealVersion() != SealedKeys.BOUND) {
            throw new Refused("sealed in format " + row.sealVersion() + ", which does not bind the row");
        }
        String privateJwk;
        try {
            privateJwk = sealed.open(binding(row), row.sealedPrivateJwk());
        } catch (IllegalStateException e) {
            throw new Refused("its sealed private key does not open with this row's kid, algorithm, public key and window "
                    + "(inserted or altered row, or another key-encryption key)");
        }
        return new Trusted(row, matchingKey(row, privateJwk));
    }

    /**
     * Re-seals a {@link SealedKeys#LEGACY} row in the bound format if its old seal opens, its public
     * key is its private key's, and its window has the shape this service writes (publication ends
     * {@link KeyManager#MAX_SESSION} after signing, signing lasts at most one signing period): the
     * old seal did not bind the window, so a window stretched in the database is not adopted.
     */
    byte[] resealLegacy(SigningKeyStore.Row row) throws Refused {
        String privateJwk;
        try {
            privateJwk = sealed.open(row.kid(), row.sealedPrivateJwk());
        } catch (IllegalStateException e) {
            throw new Refused("its legacy seal does not open");
        }
        matchingKey(row, privateJwk);
        Duration signing = Duration.between(row.createdAt(), row.signUntil());
        if (!row.publishUntil().equals(row.signUntil().plus(KeyManager.MAX_SESSION)) || signing.isNegative()
                || signing.compareTo(signingPeriod) > 0) {
            throw new Refused("its window is not one this service writes (created " + row.createdAt() + ", signs until "
                    + row.signUntil() + ", published until " + row.publishUntil() + ")");
        }
        return sealed.seal(binding(row), privateJwk);
    }

    private static SealedKeys.Binding binding(SigningKeyStore.Row row) {
        return new SealedKeys.Binding(row.kid(), row.algorithm(), row.publicJwk(), row.createdAt(), row.signUntil(),
                row.publishUntil());
    }

    private static ECKey matchingKey(SigningKeyStore.Row row, String privateJwk) throws Refused {
        try {
            ECKey privateKey = ECKey.parse(privateJwk);
            JWK stored = JWK.parse(row.publicJwk());
            if (!JWSAlgorithm.ES256.getName().equals(row.algorithm()) || !row.kid().equals(privateKey.getKeyID())
                    || !row.kid().equals(stored.getKeyID())
                    || !stored.computeThumbprint().equals(privateKey.toPublicJWK().computeThumbprint())) {
                throw new Refused("its kid, algorithm or public key does not match its private key");
            }
            return privateKey;
        } catch (ParseException | JOSEException e) {
            throw new Refused("it does not hold a valid JWK");
        }
    }
}
