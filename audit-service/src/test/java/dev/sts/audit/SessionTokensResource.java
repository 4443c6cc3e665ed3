package dev.sts.audit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.sts.kit.auth.SessionClaims;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * token-service's side of session tokens, for audit-service's tests: a signing key and its JWK set
 * served over HTTP (the JDK's server, on a free port), so that audit-service verifies session
 * tokens exactly as in production ({@code sts.auth.jwks-url}, {@code sts.auth.issuer}).
 *
 * <p>The private key reaches the tests through the configuration ({@value #KEY_PROPERTY}, not an
 * sts.* key): a test resource and a test class are loaded by different class loaders.
 */
public class SessionTokensResource implements QuarkusTestResourceLifecycleManager {
    static final String KEY_PROPERTY = "test.session-tokens.signing-jwk";
    static final String ISSUER_PROPERTY = "sts.auth.issuer";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("test-" + System.nanoTime()).generate();
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of("sts.auth.jwks-url", base + "/.well-known/jwks.json", ISSUER_PROPERTY, base,
                    KEY_PROPERTY, key.toJSONString());
        } catch (IOException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("cannot start the test JWK set", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The issuer audit-service expects, for building claims. */
    static String issuer() {
        return ConfigProvider.getConfig().getValue(ISSUER_PROPERTY, String.class);
    }

    /** A session token for these claims, signed as token-service signs (ES256, typ sts-session+jwt, kid). */
    static String sign(SessionClaims claims) {
        try {
            ECKey key = ECKey.parse(ConfigProvider.getConfig().getValue(KEY_PROPERTY, String.class));
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims.toClaimsSet());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("cannot sign a test session token", e);
        }
    }
}
