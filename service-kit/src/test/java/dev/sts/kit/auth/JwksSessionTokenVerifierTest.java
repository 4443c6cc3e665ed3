package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * role-service and audit-service verify session tokens against token-service's JWK set, served
 * here by a real HTTP server (the JDK's) so fetch failures, timeouts and size limits are real.
 */
class JwksSessionTokenVerifierTest {
    static final String ISSUER = "https://sts.test";

    HttpServer server;
    final AtomicReference<String> jwks = new AtomicReference<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger fetches = new AtomicInteger();
    final FakeClock clock = new FakeClock(Instant.now());
    ECKey k1;
    ECKey k2;

    @BeforeEach
    void serve() throws Exception {
        k1 = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        k2 = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        publish(k1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void publish(JWK... keys) {
        jwks.set(new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString());
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    JwksSessionTokenVerifier verifier() {
        return new JwksSessionTokenVerifier(TestStsConfig.of(TestStsConfig.TestAuth.jwks(url(), ISSUER)), clock);
    }

    static SessionClaims claims(String issuer) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SessionClaims(issuer, "sts", "jti-1", "arn:aws:sts::000000000000:assumed-role/R/s1",
                "arn:aws:iam::000000000000:role/R", "AROAEXAMPLE", "s1", "000000000000", null, Map.of(), List.of(),
                "ASIAEXAMPLEEXAMPLE00", now, now.plusSeconds(900), 1, "ec2.amazonaws.com", null);
    }

    static String es256(ECKey key, String kid, SessionClaims claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims.toClaimsSet());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static ErrorCode code(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(StsException.class);
        return ((StsException) thrown).code();
    }

    @Test
    void acceptsAnEs256TokenOfTheConfiguredIssuer() throws Exception {
        SessionClaims c = claims(ISSUER);
        assertThat(verifier().verify(es256(k1, "k1", c))).isEqualTo(c);
    }

    @Test
    void refusesATokenOfAnotherIssuer() throws Exception {
        String token = es256(k1, "k1", claims("https://someone-else.test"));
        assertThat(code(() -> verifier().verify(token))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void acceptsAnEdDsaTokenSignedWithTheJdksEd25519AndRefusesItUnderTheEcKid() throws Exception {
        // Signed with the JDK's Ed25519 (no Tink needed), its public key published next to k1.
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = ed.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        OctetKeyPair okp = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed1").build();
        publish(k1, okp);
        String header = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed1\",\"typ\":\"" + SessionClaims.TOKEN_TYPE + "\"}")
                .toString();
        String payload = Base64URL.encode(claims(ISSUER).toClaimsSet().toString()).toString();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ed.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String token = header + "." + payload + "." + Base64URL.encode(signer.sign());
        // Ed25519 of another implementation than the one token-service signs with (Tink): the same signature.
        assertThat(verifier().verify(token).sessionId()).isEqualTo(claims(ISSUER).sessionId());

        // The same EdDSA signature under the EC key's kid is refused: a kid's key type must match the alg.
        String underEcKid = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"" + SessionClaims.TOKEN_TYPE
                + "\"}").toString();
        signer.initSign(ed.getPrivate());
        signer.update((underEcKid + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String crossed = underEcKid + "." + payload + "." + Base64URL.encode(signer.sign());
        assertThat(code(() -> verifier().verify(crossed))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void anUnreachableJwksIsServiceUnavailableNotAnInvalidToken() throws Exception {
        String token = es256(k1, "k1", claims(ISSUER));
        status.set(503);
        assertThat(code(() -> verifier().verify(token))).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);

        server.stop(0);
        assertThat(code(() -> verifier().verify(token))).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void aJwksLargerThanTheCapIsNotRead() throws Exception {
        jwks.set("{\"keys\":[],\"padding\":\"" + "x".repeat(70_000) + "\"}");
        String token = es256(k1, "k1", claims(ISSUER));
        assertThat(code(() -> verifier().verify(token))).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void aRemovedKeyIsRefusedOnceTheRefreshIntervalHasPassed() throws Exception {
        JwksSessionTokenVerifier verifier = verifier();
        String token = es256(k1, "k1", claims(ISSUER));
        verifier.verify(token);

        publish(k2); // token-service retired k1
        clock.advance(Duration.ofMinutes(4));
        verifier.verify(token); // still within sts.auth.jwks-refresh (PT5M): the cached set holds k1

        clock.advance(Duration.ofMinutes(1));
        assertThat(code(() -> verifier.verify(token))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        verifier.verify(es256(k2, "k2", claims(ISSUER)));
    }

    @Test
    void aNewKeyIsPickedUpAtOnceButForgedKeyIdsCauseAtMostOneFetchPerInterval() throws Exception {
        JwksSessionTokenVerifier verifier = verifier();
        verifier.verify(es256(k1, "k1", claims(ISSUER)));
        assertThat(fetches.get()).isEqualTo(1);

        publish(k1, k2); // rotation: k2 published before its first use
        clock.advance(Duration.ofMinutes(1));
        verifier.verify(es256(k2, "k2", claims(ISSUER)));
        assertThat(fetches.get()).isEqualTo(2);

        for (int i = 0; i < 50; i++) {
            String forged = es256(k1, "forged-" + i, claims(ISSUER));
            assertThat(code(() -> verifier.verify(forged))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        }
        assertThat(fetches.get()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(30));
        String forged = es256(k1, "forged-late", claims(ISSUER));
        assertThat(code(() -> verifier.verify(forged))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(fetches.get()).isEqualTo(3);
    }

    @Test
    void aBriefOutageUsesTheLastGoodSetThenFailsClosed() throws Exception {
        JwksSessionTokenVerifier verifier = verifier();
        String token = es256(k1, "k1", claims(ISSUER));
        verifier.verify(token);

        status.set(500);
        clock.advance(Duration.ofMinutes(6));
        verifier.verify(token); // reload failed; the set is younger than twice the refresh interval
        clock.advance(Duration.ofMinutes(5));
        assertThat(code(() -> verifier.verify(token))).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);

        status.set(200);
        clock.advance(Duration.ofSeconds(30));
        verifier.verify(token);
    }

    @Test
    void aJwksUrlWithoutAnIssuerIsAConfigurationError() {
        assertThatThrownBy(() -> new JwksSessionTokenVerifier(
                TestStsConfig.of(TestStsConfig.TestAuth.jwks(url(), null)), clock))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sts.auth.issuer");
    }

    static final class FakeClock implements InstantSource {
        private volatile Instant now;

        FakeClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
