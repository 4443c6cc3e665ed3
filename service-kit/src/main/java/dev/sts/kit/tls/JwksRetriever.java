package dev.sts.kit.tls;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import io.smallrye.config.SmallRyeConfig;
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
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The HTTP client that fetches token-service's JWK set: Nimbus's, with Nimbus's size limit, 2 s timeouts,
 * trusting the CA certificates of {@code sts.tls.jwks-trust-file} for an https URL (the JVM's default
 * trust store when unset). Hostname verification stays on: the certificate must name the URL's host.
 */
public final class JwksRetriever {
    /**
     * Nimbus's 500 ms default is too short for a first TLS handshake on a busy JVM: on 2 shared cores the
     * test's first fetch over https took longer and timed out.
     */
    static final int TIMEOUT_MILLIS = 2000;

    private JwksRetriever() {
    }

    /** The retriever for this service's configuration. */
    public static ResourceRetriever configured() {
        TlsConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(TlsConfig.class);
        return withTrust(config.jwksTrustFile().map(Path::of));
    }

    /** A retriever trusting the CA certificates in {@code trustFile} (PEM), or the JVM's defaults. */
    public static ResourceRetriever withTrust(Optional<Path> trustFile) {
        SSLSocketFactory sockets = trustFile.map(JwksRetriever::socketFactory).orElse(null);
        return new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS,
                JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT, true, sockets);
    }

    private static SSLSocketFactory socketFactory(Path pem) {
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
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("sts.tls.jwks-trust-file " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }
}
