package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;

/**
 * Port: turns session claims into a session token. The signing adapter owns the keys; the domain
 * only needs a token whose expiry never outlives the key that verifies it.
 */
public interface SessionSigner {
    SignedSession sign(SessionClaims claims);
}
