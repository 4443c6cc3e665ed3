package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;

/**
 * A signed session token, the id of the key that signed it, and the claims it carries (their
 * expiry possibly capped by the signer).
 */
public record SignedSession(String token, String kid, SessionClaims claims) {
}
