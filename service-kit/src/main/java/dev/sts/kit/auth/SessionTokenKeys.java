package dev.sts.kit.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key a session token's header names, and the verifier of its signature, for the two
 * algorithms session tokens are signed with. Each algorithm takes exactly one key type: ES256 an
 * EC key on P-256, EdDSA an OKP key on Ed25519 (RFC 8037); a kid whose key is of another type
 * selects nothing, so the token is refused before any signature is checked.
 *
 * <p>Nimbus's own {@code JWSVerificationKeySelector} hands keys to its verifier factory as
 * {@code java.security.Key}s, which its OKP keys cannot be turned into; its Ed25519 verifier (on
 * Tink) takes the JWK itself. {@link Ed25519Key} carries the JWK through that interface, and
 * {@link #verifierFactory()} builds the Ed25519 verifier from it, leaving ES256 to Nimbus's default
 * factory.
 */
final class SessionTokenKeys implements JWSKeySelector<SecurityContext> {
    /** An Ed25519 public key as Nimbus's processor passes keys around; only {@link #verifierFactory()} reads it. */
    record Ed25519Key(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    private final Set<JWSAlgorithm> algorithms;
    private final JWKSource<SecurityContext> source;

    SessionTokenKeys(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
        this.algorithms = Set.copyOf(algorithms);
        this.source = source;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!algorithms.contains(alg)) {
            return List.of();
        }
        // Key type (EC / OKP) and kid from the header, public signing keys only.
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : source.get(new JWKSelector(matcher), context)) {
            if (jwk.isPrivate()) {
                continue;
            }
            if (JWSAlgorithm.ES256.equals(alg) && jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                try {
                    keys.add(ec.toECPublicKey());
                } catch (JOSEException e) {
                    // not a point of P-256: never a key to verify with
                }
            } else if (JWSAlgorithm.EdDSA.equals(alg) && jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                keys.add(new Ed25519Key(okp));
            }
        }
        return keys;
    }

    /** ES256 by Nimbus's default factory; EdDSA only with an {@link Ed25519Key}, and such a key with nothing else. */
    static DefaultJWSVerifierFactory verifierFactory() {
        return new DefaultJWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                boolean eddsa = JWSAlgorithm.EdDSA.equals(header.getAlgorithm());
                if (key instanceof Ed25519Key ed) {
                    if (!eddsa) {
                        throw new JOSEException("an Ed25519 key verifies EdDSA only");
                    }
                    return new Ed25519Verifier(ed.jwk());
                }
                if (eddsa) {
                    throw new JOSEException("EdDSA is verified with an Ed25519 key only");
                }
                return super.createJWSVerifier(header, key);
            }
        };
    }
}
