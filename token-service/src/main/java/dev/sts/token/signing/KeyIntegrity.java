package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import dev.sts.token.persistence.SigningKeyStore;
import java.text.ParseException;
import java.time.Duration;

/**
 * Decides whether a signing-key row may be trusted. The database is not: a row is trusted only
 * when its sealed private key opens under the key-encryption key with the row's facts (kid,
 * algorithm, public key, window) as associated data, the stored public key is that private
 * key's own, and both are of the key type the row's algorithm takes ({@link SigningAlgorithm}: EC
 * P-256 for ES256, OKP Ed25519 for EdDSA). Only then is it published or used.
 */
final class KeyIntegrity {
    /** A verified row, its public key and, unless it is retired, its private key (else null). */
    record Trusted(SigningKeyStore.Row row, SigningAlgorithm algorithm, JWK publicKey, JWK privateKey) {
        Trusted(SigningKeyStore.Row row, SigningAlgorithm algorithm, JWK privateKey) {
            this(row, algorithm, privateKey.toPublicJWK(), privateKey);
        }

        boolean canSign() {
            return privateKey != null;
        }
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
        // sign_from is a scheduling fact, not bound by the seal: it may only move the start of signing
        // within the bound window, never widen what is published or signed (ADR 016).
        if (row.signFrom().isBefore(row.createdAt()) || !row.signFrom().isBefore(row.signUntil())) {
            throw new Refused("its signing start " + row.signFrom() + " lies outside its window (created " + row.createdAt()
                    + ", signs until " + row.signUntil() + ")");
        }
        if (row.sealVersion() == SealedKeys.RETIRED) {
            return verifyRetired(row);
        }
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
        SigningAlgorithm algorithm = algorithm(row);
        return new Trusted(row, algorithm, matchingKey(row, algorithm, privateJwk));
    }

    /**
     * The seal of a key whose private key is destroyed: its public key, bound to the row under the
     * {@link SealedKeys#RETIRED} label, so the key-encryption key still vouches for what is published.
     */
    byte[] retire(Trusted key) {
        return sealed.sealRetired(binding(key.row()), key.row().publicJwk());
    }

    private Trusted verifyRetired(SigningKeyStore.Row row) throws Refused {
        String publicJwk;
        try {
            publicJwk = sealed.openRetired(binding(row), row.sealedPrivateJwk());
        } catch (IllegalStateException e) {
            throw new Refused("its sealed public key does not open with this row's kid, algorithm, public key and window");
        }
        SigningAlgorithm algorithm = algorithm(row);
        try {
            JWK key = JWK.parse(row.publicJwk());
            if (!publicJwk.equals(row.publicJwk()) || key.isPrivate() || !algorithm.fits(key) || !row.kid().equals(key.getKeyID())) {
                throw new Refused("its kid, algorithm or public key does not match its sealed public key");
            }
            return new Trusted(row, algorithm, key, null);
        } catch (ParseException e) {
            throw new Refused("it does not hold a valid JWK");
        }
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
        matchingKey(row, algorithm(row), privateJwk);
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

    /** The row's algorithm, if it is one this service signs with. */
    private static SigningAlgorithm algorithm(SigningKeyStore.Row row) throws Refused {
        return SigningAlgorithm.named(row.algorithm()).orElseThrow(() -> new Refused("its algorithm is not ES256 or EdDSA"));
    }

    /**
     * The private key, if it is private, of the row's algorithm's key type, and the stored public key
     * is its own (same type, same thumbprint): an EC key can never be used for EdDSA, nor an OKP key
     * for ES256.
     */
    private static JWK matchingKey(SigningKeyStore.Row row, SigningAlgorithm algorithm, String privateJwk) throws Refused {
        try {
            JWK privateKey = JWK.parse(privateJwk);
            JWK stored = JWK.parse(row.publicJwk());
            if (!privateKey.isPrivate() || stored.isPrivate() || !algorithm.fits(privateKey) || !algorithm.fits(stored)
                    || !row.kid().equals(privateKey.getKeyID())
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
