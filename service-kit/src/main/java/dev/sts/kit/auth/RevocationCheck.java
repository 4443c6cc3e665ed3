package dev.sts.kit.auth;

/**
 * The step after a session token's signature and claims were verified: is the session revoked?
 * Kept apart from verification so that nothing that remembers verified tokens (a cache by token
 * hash) can skip it: every path that accepts a session token calls it on every use.
 */
@FunctionalInterface
public interface RevocationCheck {
    /**
     * Returns when the session may be used.
     *
     * @throws dev.sts.kit.error.StsException {@code InvalidClientTokenId} (UNAUTHENTICATED) when the
     *     session is revoked; {@code ServiceUnavailable} while revocations are not known yet
     */
    void requireNotRevoked(SessionClaims session);
}
