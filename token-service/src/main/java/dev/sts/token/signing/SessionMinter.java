package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.token.domain.SessionSigner;
import dev.sts.token.domain.SignedSession;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signs session tokens with the current key and checks its own output before handing it out, so
 * a fault in signing can never produce a token that verifiers would reject later.
 */
@ApplicationScoped
public class SessionMinter implements SessionSigner {
    private final KeyManager keys;

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
        SessionClaims capped = claims.expiresAt().isAfter(key.latestExpiry()) ? claims.withExpiresAt(key.latestExpiry()) : claims;
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid())
                    .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), capped.toClaimsSet());
            jwt.sign(new ECDSASigner(key.key()));
            if (!jwt.verify(new ECDSAVerifier(key.key().toPublicJWK()))) {
                throw new IllegalStateException("freshly signed session token does not verify");
            }
            return new SignedSession(jwt.serialize(), key.kid(), capped);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign session token", e);
        }
    }
}
