package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SessionTokenProcessorTest {
    static ECKey key;
    static SessionTokenProcessor processor;

    @BeforeAll
    static void keys() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        processor = new SessionTokenProcessor(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), "sts", "https://sts.test");
    }

    static SessionClaims claims(Instant issued, Instant expires) {
        return new SessionClaims("https://sts.test", "sts", "jti-1",
                "arn:aws:sts::000000000000:assumed-role/S3AccessRole/s1", "arn:aws:iam::000000000000:role/S3AccessRole",
                "AROAEXAMPLE", "s1", "000000000000", "alice", Map.of("team", "blue"), List.of("team"),
                "ASIAEXAMPLEEXAMPLE00", issued, expires, 1, "ec2.amazonaws.com", null);
    }

    static String sign(SessionClaims c, JOSEObjectType type) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(type).build(), c.toClaimsSet());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void roundTripsEveryClaim() throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        SessionClaims c = claims(now, now.plusSeconds(900));
        assertThat(processor.process(sign(c, new JOSEObjectType(SessionClaims.TOKEN_TYPE)))).isEqualTo(c);
    }

    @Test
    void expiredTokenIsExpiredToken() throws Exception {
        Instant past = Instant.now().minusSeconds(7200);
        String token = sign(claims(past, past.plusSeconds(900)), new JOSEObjectType(SessionClaims.TOKEN_TYPE));
        assertThatThrownBy(() -> processor.process(token)).isInstanceOf(StsException.class)
                .extracting(e -> ((StsException) e).code()).isEqualTo(ErrorCode.EXPIRED_TOKEN);
    }

    @Test
    void otherTokenTypesAreRefused() throws Exception {
        Instant now = Instant.now();
        String token = sign(claims(now, now.plusSeconds(900)), JOSEObjectType.JWT);
        assertThatThrownBy(() -> processor.process(token)).extracting(e -> ((StsException) e).code())
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void hmacAndTamperedTokensAreRefused() throws Exception {
        Instant now = Instant.now();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1")
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims(now, now.plusSeconds(900)).toClaimsSet());
        hs.sign(new MACSigner(new byte[32]));
        assertThatThrownBy(() -> processor.process(hs.serialize())).extracting(e -> ((StsException) e).code())
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);

        String good = sign(claims(now, now.plusSeconds(900)), new JOSEObjectType(SessionClaims.TOKEN_TYPE));
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThatThrownBy(() -> processor.process(tampered)).extracting(e -> ((StsException) e).code())
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }
}
