package dev.sts.kit.auth;

/** Checks a session token and returns its session, or throws an {@code StsException}. */
public interface SessionTokenVerifier {
    SessionClaims verify(String sessionToken);
}
