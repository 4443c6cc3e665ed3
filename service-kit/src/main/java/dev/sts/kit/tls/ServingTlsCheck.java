package dev.sts.kit.tls;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start with a server certificate but plaintext still enabled. The HTTPS port follows
 * the HTTP port ({@code quarkus.http.ssl-port=${quarkus.http.port}}), and Vert.x lets two servers on
 * one host and port share a socket: which protocol the port then speaks would depend on start order,
 * a silent downgrade. TLS on the one port therefore requires {@code quarkus.http.insecure-requests=disabled}.
 */
@ApplicationScoped
public class ServingTlsCheck {
    void onStart(@Observes StartupEvent event, TlsConfigurationRegistry registry) {
        Config config = ConfigProvider.getConfig();
        Optional<String> name = config.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
        boolean certificate = (name.isPresent() ? registry.get(name.get()) : registry.getDefault())
                .map(TlsConfiguration::getKeyStoreOptions).isPresent();
        check(certificate, config.getOptionalValue("quarkus.http.insecure-requests", String.class),
                config.getOptionalValue("quarkus.http.ssl-port", Integer.class),
                config.getOptionalValue("quarkus.http.port", Integer.class));
    }

    /** Throws when a certificate is served on the HTTP port while plaintext is enabled. */
    static void check(boolean certificate, Optional<String> insecureRequests, Optional<Integer> sslPort,
            Optional<Integer> port) {
        boolean samePort = sslPort.isPresent() && sslPort.equals(port);
        if (certificate && samePort && !insecureRequests.map("disabled"::equalsIgnoreCase).orElse(false)) {
            throw new IllegalStateException("TLS: a server certificate is configured, so set "
                    + "QUARKUS_HTTP_INSECURE_REQUESTS=disabled (gRPC and HTTP share one port, which cannot also speak plaintext)");
        }
    }
}
