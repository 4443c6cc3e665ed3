package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.testing.JwtAttacks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache: a repeated check costs no signature verification; an expired token is
 * never answered from it; retiring the key retires its cached tokens; the clock skew is the
 * configured one. And the JWT attack catalogue against the processor itself, cache on.
 */
class VerifiedTokenCacheTest {
    static final String ISSUER = "https://sts.test";
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final InstantSource clock = () -> now.get();
    final List<JWK> published = new CopyOnWriteArrayList<>();
    final JWKSource<SecurityContext> source = (JWKSelector s, SecurityContext c) -> s.select(new JWKSet(published));
    final AtomicInteger verifications = new AtomicInteger();
    ECKey key;
    SessionTokenProcessor processor;

    @BeforeEach
    void setUp() {
        key = JwtAttacks.freshKey("k-current");
        published.add(key.toPublicJWK());
        processor = new SessionTokenProcessor(source, "sts", ISSUER, Duration.ofSeconds(60), 100, clock);
        processor.verifierFactory(new DefaultJWSVerifierFactory() {
            @Override
            public com.nimbusds.jose.JWSVerifier createJWSVerifier(JWSHeader header, java.security.Key k)
                    throws com.nimbusds.jose.JOSEException {
                verifications.incrementAndGet();
                return super.createJWSVerifier(header, k);
            }
        });
    }

    SessionClaims claims(Instant issued, Instant expires) {
        return new SessionClaims(ISSUER, "sts", "jti-1", "arn:aws:sts::000000000000:assumed-role/App/s1",
                "arn:aws:iam::000000000000:role/App", "AROAEXAMPLE", "s1", "000000000000", null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", issued, expires, 1, "ec2.amazonaws.com", null);
    }

    String sign(SessionClaims c, ECKey k) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(k.getKeyID())
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), c.toClaimsSet());
        jwt.sign(new ECDSASigner(k));
        return jwt.serialize();
    }

    static ErrorCode refusal(SessionTokenProcessor p, String token) {
        StsException e = catchThrowableOfType(StsException.class, () -> p.process(token));
        assertThat(e).as("accepted").isNotNull();
        return e.code();
    }

    @Test
    void aRepeatedCheckIsAHashLookupNotASignatureVerification() throws Exception {
        String token = sign(claims(now.get(), now.get().plusSeconds(900)), key);
        SessionClaims first = processor.process(token);
        assertThat(verifications).hasValue(1);
        for (int i = 0; i < 100; i++) {
            assertThat(processor.process(token)).isSameAs(first);
        }
        assertThat(verifications).hasValue(1);
        assertThat(processor.cachedTokens()).isEqualTo(1);
    }

    @Test
    void anExpiredTokenIsNeverAnsweredFromTheCache() throws Exception {
        Instant exp = now.get().plusSeconds(900);
        String token = sign(claims(now.get(), exp), key);
        processor.process(token);
        // Past exp but within the skew: verified afresh (the skew is not granted to a cached entry).
        now.set(exp.plusSeconds(10));
        processor.process(token);
        assertThat(verifications).hasValue(2);
        // Beyond the skew: ExpiredToken, although the token was cached a moment ago.
        now.set(exp.plusSeconds(61));
        assertThat(refusal(processor, token)).isEqualTo(ErrorCode.EXPIRED_TOKEN);
    }

    @Test
    void retiringTheKeyRetiresItsCachedTokens() throws Exception {
        String token = sign(claims(now.get(), now.get().plusSeconds(900)), key);
        processor.process(token);
        published.clear();
        published.add(JwtAttacks.freshKey("k-next").toPublicJWK());
        assertThat(refusal(processor, token)).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void theClockSkewIsTheConfiguredOne() throws Exception {
        Instant exp = now.get().plusSeconds(900);
        String token = sign(claims(now.get(), exp), key);
        SessionTokenProcessor strict = new SessionTokenProcessor(source, "sts", ISSUER, Duration.ofSeconds(5), 0, clock);
        now.set(exp.plusSeconds(4));
        assertThat(strict.process(token).sessionId()).isEqualTo("jti-1");
        now.set(exp.plusSeconds(6));
        assertThat(refusal(strict, token)).isEqualTo(ErrorCode.EXPIRED_TOKEN);
        // Not yet valid: nbf 30 s ahead is within the 60 s default, 90 s is not.
        now.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String early = sign(claims(now.get().plusSeconds(30), now.get().plusSeconds(900)), key);
        String tooEarly = sign(claims(now.get().plusSeconds(90), now.get().plusSeconds(900)), key);
        assertThat(processor.process(early).sessionId()).isEqualTo("jti-1");
        assertThat(refusal(processor, tooEarly)).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void everyAttackIsRefusedAndNoKeyUrlIsFetched() throws Exception {
        String legit = sign(claims(now.get(), now.get().plusSeconds(900)), key);
        processor.process(legit);
        try (JwtAttacks.CountingServer attacker = new JwtAttacks.CountingServer()) {
            List<JwtAttacks.Attack> attacks = JwtAttacks.all(legit, key, JwtAttacks.freshKey("k-retired"), attacker.url());
            assertThat(attacks).hasSizeGreaterThan(25);
            for (JwtAttacks.Attack a : attacks) {
                // twice: a refusal is never cached as an acceptance
                for (int i = 0; i < 2; i++) {
                    StsException e = catchThrowableOfType(StsException.class, () -> processor.process(a.token()));
                    assertThat(e).as(a.name()).isNotNull();
                    assertThat(e.code().awsCode()).as(a.name()).isEqualTo(a.expectedReason());
                }
            }
            assertThat(attacker.requests()).isZero();
        }
        assertThat(processor.cachedTokens()).isEqualTo(1);
    }

    @Test
    void managedSessionPolicyArnsRoundTrip() throws Exception {
        SessionClaims c = claims(now.get(), now.get().plusSeconds(900))
                .withPolicyArns(List.of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        assertThat(c.toClaimsSet().getStringListClaim("policy_arns"))
                .containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(processor.process(sign(c, key))).isEqualTo(c);
        assertThat(claims(now.get(), now.get().plusSeconds(900)).toClaimsSet().getClaim("policy_arns")).isNull();
    }
}
