package dev.sts.kit.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies session tokens against a JWK source: signature (ES256 only: the one algorithm
 * token-service issues, so neither "none", HMAC nor another asymmetric algorithm can be slipped
 * in), token type, audience, the expected issuer (always pinned) and time claims. Used by
 * token-service with its own keys and by the other services with token-service's published JWK
 * set, so every service applies the same checks.
 *
 * <p>A key source that cannot be reached ({@link JwksUnavailableException}) is
 * {@code ServiceUnavailable}: the token may be valid, and the caller should retry, not discard it.
 */
public final class SessionTokenProcessor {
    private static final Set<String> REQUIRED = Set.of("sub", "jti", "iat", "exp", "nbf", SessionClaims.ROLE_ARN,
            SessionClaims.ROLE_ID, SessionClaims.SESSION_NAME, SessionClaims.ACCESS_KEY_ID);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /** The algorithms a session token may be signed with. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256);

    public SessionTokenProcessor(JWKSource<SecurityContext> keys, String audience, String issuer) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("the expected issuer of session tokens is required");
        }
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(SessionClaims.TOKEN_TYPE)));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact, REQUIRED);
        claims.setMaxClockSkew(30);
        processor.setJWTClaimsSetVerifier(claims);
    }

    public SessionClaims process(String token) {
        if (token == null || token.isBlank()) {
            throw new StsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "a session token is required");
        }
        try {
            return SessionClaims.fromClaimsSet(processor.process(token, null));
        } catch (BadJWTException e) {
            if ("Expired JWT".equals(e.getMessage())) {
                throw new StsException(ErrorCode.EXPIRED_TOKEN, "the security token included in the request is expired");
            }
            throw invalid();
        } catch (JwksUnavailableException e) {
            throw StsException.unavailable("cannot verify the security token now: the signing keys are unavailable", e);
        } catch (ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw invalid();
        } catch (RuntimeException e) {
            // Unreachable key source or a malformed claim: never let it look like a valid token.
            throw invalid();
        }
    }

    private static StsException invalid() {
        return new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, "the security token included in the request is invalid");
    }
}
