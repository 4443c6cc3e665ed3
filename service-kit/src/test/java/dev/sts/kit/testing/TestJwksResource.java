package dev.sts.kit.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.sts.kit.auth.SessionClaims;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * token-service's side of session tokens for the other services' tests: a signing key and its JWK
 * set served over HTTP on a free port, so that the service under test verifies session tokens as
 * in production ({@code sts.auth.jwks-url}, {@code sts.auth.issuer}). The private key reaches the
 * test through the configuration ({@value #KEY_PROPERTY}): a test resource and a test class are
 * loaded by different class loaders.
 */
public class TestJwksResource implements QuarkusTestResourceLifecycleManager {
    public static final String KEY_PROPERTY = "test.jwks.signing-jwk";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            ECKey key = JwtAttacks.freshKey("test-" + System.nanoTime());
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
            return Map.of("sts.auth.jwks-url", base + "/.well-known/jwks.json", "sts.auth.issuer", base,
                    KEY_PROPERTY, key.toJSONString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test JWK set", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The private signing key whose public half the JWK set serves. */
    public static ECKey signingKey() {
        try {
            return ECKey.parse(ConfigProvider.getConfig().getValue(KEY_PROPERTY, String.class));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid 15-minute session of the role, signed as token-service signs it. */
    public static String session(String roleArn, String roleId, String sessionName) {
        String account = roleArn.split(":")[4];
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SessionClaims c = new SessionClaims(ConfigProvider.getConfig().getValue("sts.auth.issuer", String.class), "sts",
                UUID.randomUUID().toString(), "arn:aws:sts::" + account + ":assumed-role/"
                        + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/" + sessionName,
                roleArn, roleId, sessionName, account, null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", now,
                now.plusSeconds(900), 1, "arn:aws:iam::" + account + ":root", null);
        return sign(c);
    }

    /**
     * AWS session credentials of a valid 15-minute session of the role: the session token signed as
     * token-service signs it, naming the test AWS key ring's current key, and the secret access key
     * derived from it ({@link AwsTestKeys}), so the AWS SDK can sign requests with them.
     */
    public static AwsSession awsSession(String roleArn, String roleId, String sessionName) {
        String account = roleArn.split(":")[4];
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String accessKeyId = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toUpperCase(java.util.Locale.ROOT);
        SessionClaims c = AwsTestKeys.withRingKey(new SessionClaims(
                ConfigProvider.getConfig().getValue("sts.auth.issuer", String.class), "sts",
                UUID.randomUUID().toString(), "arn:aws:sts::" + account + ":assumed-role/"
                        + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/" + sessionName,
                roleArn, roleId, sessionName, account, null, Map.of(), List.of(), accessKeyId, now,
                now.plusSeconds(900), 1, "arn:aws:iam::" + account + ":root", null));
        return new AwsSession(accessKeyId, AwsTestKeys.sessionSecret(c), sign(c), c);
    }

    /** Session credentials as AssumeRole returns them, with the session they stand for. */
    public record AwsSession(String accessKeyId, String secretAccessKey, String sessionToken, SessionClaims claims) {
    }

    private static String sign(SessionClaims c) {
        try {
            ECKey key = signingKey();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), c.toClaimsSet());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
