package dev.sts.kit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sts.kit.auth.JwksFetcher;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWK set over https: trusted through sts.tls.jwks-trust-file, refused without it. */
class JwksTrustTest {
    @TempDir
    Path dir;
    HttpsServer server;
    URL url;
    Path trustedCa;
    JWK key;

    @BeforeEach
    void serveJwksOverHttps() throws Exception {
        TestPki pki = TestPki.ca("sts test CA");
        trustedCa = pki.writeCa(dir.resolve("ca.crt"));
        TestPki.Issued cert = pki.server(dir, "token-service");
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate().toPublicJWK();
        byte[] body = new JWKSet(key).toString().getBytes(StandardCharsets.UTF_8);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(cert)));
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = new URL("https://localhost:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theConfiguredCaVerifiesTheServerAndTheKeysArrive() throws Exception {
        String fetched = fetcher(JwksTrust.withTrust(Optional.of(trustedCa))).fetch(url.toURI());
        assertThat(JWKSet.parse(fetched).getKeyByKeyId("k1")).isEqualTo(key);
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        assertThatThrownBy(() -> fetcher(JwksTrust.withTrust(Optional.empty())).fetch(url.toURI()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anotherCaDoesNotVerifyTheServer() {
        Path other = TestPki.ca("sts test CA").writeCa(dir.resolve("other-ca.crt"));
        assertThatThrownBy(() -> fetcher(JwksTrust.withTrust(Optional.of(other))).fetch(url.toURI()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anUnreadableTrustFileStopsStartUp() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.crt"), "");
        assertThatThrownBy(() -> JwksTrust.withTrust(Optional.of(empty)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sts.tls.jwks-trust-file");
    }

    /** Timeouts far above a TLS handshake on a loaded machine: what the tests assert is trust, not speed. */
    static JwksFetcher fetcher(Optional<SSLContext> trust) {
        return JwksFetcher.http(Duration.ofSeconds(30), Duration.ofSeconds(30), 1 << 20, trust);
    }

    static SSLContext serverContext(TestPki.Issued cert) throws Exception {
        String pem = Files.readString(cert.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Certificate leaf = SpiffeIdentityTest.load(cert.cert());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", privateKey, new char[0], new Certificate[] {leaf});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
