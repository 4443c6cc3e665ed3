package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.token.domain.SessionSigner;
import dev.sts.token.domain.SignedSession;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signs session tokens with the current key. Before a key signs its first session token, the
 * minter signs a probe with it and verifies the probe against the key that the JWKS publishes
 * under the same kid; a key whose signatures verifiers would reject (a private key that does not
 * belong to the published public key, a kid published with another key) never signs a session.
 *
 * <p>The check runs once per key, not once per token: verifying every token doubled the ECDSA
 * work of AssumeRole (a P-256 verification costs about twice a signature) and bought nothing the
 * per-key check does not, since every token of a key is signed by the same code with the same
 * key (docs/adr/018-assume-role-performance.md).
 *
 * <p>The header's {@code alg} is the key's own algorithm (EdDSA or ES256), and the probe is
 * verified only with a published key of that algorithm's type: an EdDSA key published as an EC
 * key (or the reverse) never signs.
 */
@ApplicationScoped
public class SessionMinter implements SessionSigner {
    private final KeyManager keys;
    /** The key that passed its check, with its signer and header; replaced when the key changes. */
    private volatile Armed armed;

    private record Armed(KeyManager.SigningKey key, JWSSigner signer, JWSHeader header) {
        boolean holds(KeyManager.SigningKey k) {
            return key == k || key.equals(k);
        }
    }

    public SessionMinter(KeyManager keys) {
        this.keys = keys;
    }

    /**
     * Signs the claims; the expiry is capped so the token never outlives its key's publication,
     * even by the clock skew a verifier allows ({@link KeyManager.SigningKey#latestExpiry()}).
     */
    @Override
    public SignedSession sign(SessionClaims claims) {
        KeyManager.SigningKey key = keys.current();
        Armed a = armed;
        if (a == null || !a.holds(key)) {
            a = arm(key);
        }
        SessionClaims capped = claims.expiresAt().isAfter(key.latestExpiry()) ? claims.withExpiresAt(key.latestExpiry()) : claims;
        try {
            SignedJWT jwt = new SignedJWT(a.header(), capped.toClaimsSet());
            jwt.sign(a.signer());
            return new SignedSession(jwt.serialize(), key.kid(), capped);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign session token", e);
        }
    }

    /** Checks a key once: a probe it signs must verify with the public key published under its kid. */
    private synchronized Armed arm(KeyManager.SigningKey key) {
        Armed a = armed;
        if (a != null && a.holds(key)) {
            return a;
        }
        try {
            SigningAlgorithm algorithm = key.algorithm();
            JWSHeader header = new JWSHeader.Builder(algorithm.jws()).keyID(key.kid())
                    .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build();
            JWSSigner signer = algorithm.signer(key.key());
            JWK published = keys.publicKeys().getKeyByKeyId(key.kid());
            if (!algorithm.fits(published)) {
                throw new IllegalStateException("signing key " + key.kid() + " is not published as a " + algorithm + " key");
            }
            SignedJWT probe = new SignedJWT(header, new JWTClaimsSet.Builder().subject("signing-key-check").build());
            probe.sign(signer);
            if (!probe.verify(algorithm.verifier(published))) {
                throw new IllegalStateException("signing key " + key.kid() + " does not match its published public key");
            }
            a = new Armed(key, signer, header);
            armed = a;
            return a;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot check signing key " + key.kid(), e);
        }
    }
}
