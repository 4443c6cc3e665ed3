package dev.sts.kit.auth;

/**
 * Whether a verified session has been revoked (RevokeSessions: by session id, role, source
 * identity, or issued before a time). Asked on every use of a session token, after its signature
 * and claims were checked (or found in the verified-token cache), so that a revocation takes effect
 * for tokens already cached. The {@link Authenticator} refuses a revoked session with
 * {@code InvalidClientTokenId}.
 *
 * <p>Implementations answer from memory, fast and thread-safe; one that does not know yet (its
 * revocations not read to the end) must answer {@code true}: fail closed.
 */
public interface SessionRevocationCheck {
    boolean isRevoked(SessionClaims session);
}
