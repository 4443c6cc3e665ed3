package dev.sts.role;

import dev.sts.kit.tls.TestPki;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * role-service served over TLS only, from PEM files made for the test (a CA, a server certificate for
 * localhost, client certificates), verifying client certificates against that CA and mapping one SPIFFE
 * ID to token-service's internal principal.
 */
public class TlsProfile implements QuarkusTestProfile {
    static final String TOKEN_SERVICE_ID = "spiffe://cluster.local/ns/sts/sa/token-service";
    static final String UNMAPPED_ID = "spiffe://cluster.local/ns/other/sa/intruder";

    /** One directory per test JVM: the profile and the test may run in different class loaders. */
    static final Path DIR = Path.of("target", "tls-test-" + ProcessHandle.current().pid()).toAbsolutePath();

    static synchronized Path dir() {
        if (!Files.exists(DIR.resolve("done"))) {
            TestPki pki = TestPki.ca("sts test CA");
            pki.writeCa(DIR.resolve("ca.crt"));
            pki.server(DIR, "server");
            pki.client(DIR, "token-service", TOKEN_SERVICE_ID);
            pki.client(DIR, "unmapped", UNMAPPED_ID);
            pki.client(DIR, "no-san");
            pki.client(DIR, "two-uris", TOKEN_SERVICE_ID, UNMAPPED_ID);
            // Same subject name as the trusted CA, different key: only the signature tells them apart.
            TestPki.ca("sts test CA").client(DIR, "forged", TOKEN_SERVICE_ID);
            try {
                Files.writeString(DIR.resolve("done"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return DIR;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir = dir();
        return Map.of(
                "quarkus.tls.key-store.pem.service.cert", dir.resolve("server.crt").toString(),
                "quarkus.tls.key-store.pem.service.key", dir.resolve("server.key").toString(),
                "quarkus.tls.trust-store.pem.certs", dir.resolve("ca.crt").toString(),
                "quarkus.tls.reload-period", "1h",
                "quarkus.http.insecure-requests", "disabled",
                "sts.tls.spiffe-principals", TOKEN_SERVICE_ID + "=token-service.sts.internal");
    }
}
