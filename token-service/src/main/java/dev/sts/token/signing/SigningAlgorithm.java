package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import java.util.Optional;

/**
 * The algorithms session tokens are signed with, each bound to exactly one kind of key: ES256 to an
 * EC P-256 key, EdDSA to an OKP Ed25519 key (RFC 8037). A row's {@code algorithm} names one of them
 * and is sealed with the key (SealedKeys.Binding), so a key is only ever used with its own algorithm.
 *
 * <p>EdDSA is the default for new keys ({@code sts.token.signing.algorithm}): one Ed25519 signature
 * costs a seventh of a P-256 signature on Java 17 and about 40% of one on Java 25, and signing is the
 * floor of AssumeRole's cost (docs/adr/019-ed25519-session-tokens.md). Ed25519 signatures are
 * deterministic (no per-signature random nonce whose bias could leak the key).
 */
public enum SigningAlgorithm {
    /** ECDSA over P-256 with SHA-256 (the algorithm of keys written before EdDSA). */
    ES256(JWSAlgorithm.ES256, KeyType.EC, Curve.P_256),
    /** Ed25519: signed with BouncyCastle ({@link BcEd25519Signer}), verified by Nimbus on Tink. */
    EdDSA(JWSAlgorithm.EdDSA, KeyType.OKP, Curve.Ed25519);

    private final JWSAlgorithm jws;
    private final KeyType keyType;
    private final Curve curve;

    SigningAlgorithm(JWSAlgorithm jws, KeyType keyType, Curve curve) {
        this.jws = jws;
        this.keyType = keyType;
        this.curve = curve;
    }

    /** The algorithm a row names, by its exact JWS name; empty for any other name. */
    public static Optional<SigningAlgorithm> named(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.jws.getName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public JWSAlgorithm jws() {
        return jws;
    }

    /** Whether {@code key} is of this algorithm's key type and curve (a private or public key). */
    public boolean fits(JWK key) {
        if (key == null || !keyType.equals(key.getKeyType())) {
            return false;
        }
        return key instanceof ECKey ec ? curve.equals(ec.getCurve())
                : key instanceof OctetKeyPair okp && curve.equals(okp.getCurve());
    }

    /** A new signing key of this algorithm under {@code kid}. */
    public JWK generate(String kid) throws JOSEException {
        return switch (this) {
            case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).generate();
            case EdDSA -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws)
                    .generate();
        };
    }

    /** A signer for a private key of this algorithm; refuses a key of another type. */
    public JWSSigner signer(JWK privateKey) throws JOSEException {
        requireFit(privateKey);
        return switch (this) {
            case ES256 -> new ECDSASigner(privateKey.toECKey());
            case EdDSA -> new BcEd25519Signer(privateKey.toOctetKeyPair());
        };
    }

    /** A verifier for a public key of this algorithm; refuses a key of another type. */
    public JWSVerifier verifier(JWK publicKey) throws JOSEException {
        requireFit(publicKey);
        return switch (this) {
            case ES256 -> new ECDSAVerifier(publicKey.toECKey().toPublicJWK());
            case EdDSA -> new Ed25519Verifier(publicKey.toOctetKeyPair().toPublicJWK());
        };
    }

    private void requireFit(JWK key) throws JOSEException {
        if (!fits(key)) {
            throw new JOSEException("a " + jws + " key must be " + keyType + " on " + curve);
        }
    }
}
