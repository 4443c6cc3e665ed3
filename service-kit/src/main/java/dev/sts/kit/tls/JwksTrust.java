package dev.sts.kit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust with which token-service's JWK set is fetched over https: the CA certificates of
 * {@code sts.tls.jwks-trust-file} (PEM), or the JVM's default trust store when unset. Hostname
 * verification stays on (the JDK HTTP client's default): the certificate must name the URL's host.
 */
public final class JwksTrust {
    private JwksTrust() {
    }

    /** A context trusting only the CA certificates in {@code trustFile}, or empty for the JVM's defaults. */
    public static Optional<SSLContext> withTrust(Optional<Path> trustFile) {
        return trustFile.map(JwksTrust::sslContext);
    }

    private static SSLContext sslContext(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalStateException("sts.tls.jwks-trust-file " + pem + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("sts.tls.jwks-trust-file " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }
}
