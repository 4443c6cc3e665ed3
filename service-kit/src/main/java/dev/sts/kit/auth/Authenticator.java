package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.kit.tls.PeerIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Establishes who is calling, from the bearer credential in the call's metadata: a session token
 * (a compact JWS, verified by the {@link SessionTokenVerifier}) or a bootstrap credential. The
 * identity never comes from a request field, and only a principal of a bootstrap credential that
 * is listed in {@code sts.auth.bootstrap-principals} holds administrator rights. A session token
 * is checked against the revocations in force ({@link RevocationCheck}) after it is verified.
 */
@ApplicationScoped
public class Authenticator {
    private final StsConfig config;
    private final SessionTokenVerifier verifier;
    private final RevocationCheck revocations;
    private final StaticCredentials statics;
    private final Set<String> bootstrapPrincipals;

    public Authenticator(StsConfig config, SessionTokenVerifier verifier, RevocationCheck revocations) {
        this.config = config;
        this.verifier = verifier;
        this.revocations = revocations;
        this.statics = config.auth().staticCredentialsFile().map(Path::of).map(StaticCredentials::load)
                .orElse(StaticCredentials.empty());
        this.bootstrapPrincipals = Set.copyOf(config.auth().bootstrapPrincipals().orElse(List.of()));
    }

    /** The caller of the current gRPC call. */
    public CallerIdentity authenticate() {
        return authenticate(RequestContext.current().bearer());
    }

    public CallerIdentity authenticate(String bearer) {
        if (bearer == null) {
            // No bearer credential: a verified mTLS client certificate may name the caller (ADR 007).
            // A bearer, when present, alone decides: an invalid one never falls back to the certificate.
            String peer = PeerIdentity.currentPrincipal().orElseThrow(() -> new StsException(
                    ErrorCode.MISSING_AUTHENTICATION_TOKEN, "request is missing the 'authorization: Bearer <token>' metadata"));
            return CallerIdentity.ofPrincipal(peer, config.accountId(), bootstrapPrincipals.contains(peer));
        }
        if (looksLikeJws(bearer)) {
            // Never bootstrap: the last segment of an assumed-role ARN is the session name, which
            // the caller of AssumeRole chose. Administrator rights come from static credentials only.
            return CallerIdentity.ofSession(verifySession(bearer));
        }
        String principal = statics.principalFor(bearer).orElseThrow(() -> new StsException(
                ErrorCode.INVALID_CLIENT_TOKEN_ID, "the security token included in the request is invalid"));
        return CallerIdentity.ofPrincipal(principal, config.accountId(), bootstrapPrincipals.contains(principal));
    }

    /**
     * The session of a session token, checked as a caller's bearer token is: signature and claims
     * (the {@link SessionTokenVerifier}, with its verified-token cache), then revocation.
     *
     * @throws StsException {@code MissingAuthenticationToken}, {@code InvalidClientTokenId} (also
     *     for a revoked session), {@code ExpiredToken}, or {@code ServiceUnavailable} when the keys
     *     cannot be had
     */
    public SessionClaims verifySession(String sessionToken) {
        SessionClaims session = verifier.verify(sessionToken);
        // After verification, on every use: a revoked session is refused even when its token was
        // verified before and is in the verified-token cache (docs/adr/013).
        revocations.requireNotRevoked(session);
        return session;
    }

    private static boolean looksLikeJws(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }
}
