package dev.sts.kit.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Date;
import java.util.Set;

/**
 * Verifies session tokens against a JWK source: signature (EdDSA or ES256 only: the algorithms
 * token-service issues, so neither "none", HMAC nor another asymmetric algorithm can be slipped
 * in; each only with a key of its own type, an OKP Ed25519 key for EdDSA and an EC P-256 key for
 * ES256: the key selector matches the header's {@code alg} to the key's {@code kty} and
 * {@code crv} ({@link SessionTokenKeys}), so a kid of one type never verifies a token claiming
 * the other), token type, audience, the expected issuer (always pinned) and time claims with a
 * configurable clock skew ({@code sts.auth.clock-skew}). Used by token-service with its own keys
 * and by the other services with token-service's published JWK set, so every service applies the
 * same checks.
 *
 * <p>Header parameters that name other keys ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c})
 * are never looked at: the key comes only from the configured source, by {@code kid}. A
 * {@code crit} header is refused (Nimbus's verifiers accept no critical parameter unless told to).
 *
 * <p>With a cache size above zero, a token once verified is remembered by its SHA-256 until its
 * {@code exp} ({@link VerifiedTokenCache}): a repeated check costs a hash and a lookup. A hit is
 * still refused when the token has expired by the clock (the skew is not granted to cached
 * tokens) or when its key is no longer published by the source, so retiring a key retires its
 * cached tokens too. Revocation is checked after this, on every call ({@link RevocationCheck}).
 *
 * <p>A key source that cannot be reached ({@link JwksUnavailableException}) is
 * {@code ServiceUnavailable}: the token may be valid, and the caller should retry, not discard it.
 */
public final class SessionTokenProcessor {
    private static final Set<String> REQUIRED = Set.of("sub", "jti", "iat", "exp", "nbf", SessionClaims.ROLE_ARN,
            SessionClaims.ROLE_ID, SessionClaims.SESSION_NAME, SessionClaims.ACCESS_KEY_ID);

    /**
     * The algorithms a session token may be signed with: EdDSA (Ed25519, the default of new keys) and
     * ES256 (keys written before it, or chosen by configuration); docs/adr/019-ed25519-session-tokens.md.
     */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.ES256);

    /**
     * The longest session token accepted, in characters: the bound of the gRPC metadata that
     * carries it ({@code quarkus.grpc.server.max-inbound-metadata-size}, 64 KiB), so that a token
     * that authenticates a caller is also accepted as a request field, and nothing longer is parsed.
     */
    public static final int MAX_TOKEN_CHARS = 65_536;

    /** The default of {@code sts.auth.clock-skew}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWKSource<SecurityContext> keys;
    private final InstantSource clock;
    private final VerifiedTokenCache cache;

    /** Without a cache, with the default clock skew and the system clock. */
    public SessionTokenProcessor(JWKSource<SecurityContext> keys, String audience, String issuer) {
        this(keys, audience, issuer, DEFAULT_CLOCK_SKEW, 0, InstantSource.system());
    }

    /**
     * @param clockSkew how far {@code exp} / {@code nbf} may be off the clock (whole seconds)
     * @param cacheSize how many verified tokens to remember; 0 for none
     */
    public SessionTokenProcessor(JWKSource<SecurityContext> keys, String audience, String issuer, Duration clockSkew,
            int cacheSize, InstantSource clock) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("the expected issuer of session tokens is required");
        }
        if (clockSkew.isNegative() || clockSkew.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sts.auth.clock-skew must be a non-negative duration: " + clockSkew);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("sts.auth.verified-token-cache-size must not be negative: " + cacheSize);
        }
        this.keys = keys;
        this.clock = clock;
        this.cache = cacheSize == 0 ? null : new VerifiedTokenCache(cacheSize, clock);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(SessionClaims.TOKEN_TYPE)));
        processor.setJWSKeySelector(new SessionTokenKeys(ALGORITHMS, keys));
        processor.setJWSVerifierFactory(SessionTokenKeys.verifierFactory());
        JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact, REQUIRED) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) clockSkew.getSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    public SessionClaims process(String token) {
        if (token == null || token.isBlank()) {
            throw new StsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "a session token is required");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid();
        }
        VerifiedTokenCache.Digest digest = cache == null ? null : VerifiedTokenCache.digest(token);
        if (cache != null) {
            VerifiedTokenCache.Entry hit = cache.get(digest);
            if (hit != null) {
                if (clock.instant().isBefore(hit.claims().expiresAt()) && stillPublished(hit.kid())) {
                    return hit.claims();
                }
                // Expired, or its key retired: verify it afresh, which gives the precise refusal.
                cache.invalidate(digest);
            }
        }
        try {
            JWT jwt = JWTParser.parse(token);
            SessionClaims claims = SessionClaims.fromClaimsSet(processor.process(jwt, null));
            if (cache != null && jwt instanceof SignedJWT signed && clock.instant().isBefore(claims.expiresAt())) {
                cache.put(digest, new VerifiedTokenCache.Entry(signed.getHeader().getKeyID(), claims));
            }
            return claims;
        } catch (BadJWTException e) {
            if ("Expired JWT".equals(e.getMessage())) {
                throw new StsException(ErrorCode.EXPIRED_TOKEN, "the security token included in the request is expired");
            }
            throw invalid();
        } catch (JwksUnavailableException e) {
            throw unavailable(e);
        } catch (ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw invalid();
        } catch (RuntimeException e) {
            // Unreachable key source or a malformed claim: never let it look like a valid token.
            throw invalid();
        }
    }

    /** Whether the key source still publishes a key with this id (the cached token's key). */
    private boolean stillPublished(String kid) {
        if (kid == null) {
            return false;
        }
        try {
            return !keys.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null).isEmpty();
        } catch (JwksUnavailableException e) {
            throw unavailable(e);
        } catch (KeySourceException | RuntimeException e) {
            return false;
        }
    }

    /** Replaces the factory of signature verifiers (tests count verifications with it). */
    void verifierFactory(com.nimbusds.jose.proc.JWSVerifierFactory factory) {
        processor.setJWSVerifierFactory(factory);
    }

    /** Verified tokens remembered now (tests and diagnostics). */
    long cachedTokens() {
        return cache == null ? 0 : cache.size();
    }

    private static StsException unavailable(JwksUnavailableException e) {
        return StsException.unavailable("cannot verify the security token now: the signing keys are unavailable", e);
    }

    private static StsException invalid() {
        return new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, "the security token included in the request is invalid");
    }
}
