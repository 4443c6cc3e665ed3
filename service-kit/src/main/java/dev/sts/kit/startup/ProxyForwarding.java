package dev.sts.kit.startup;

import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Quarkus's proxy-address-forwarding makes a request's scheme and source address the ones a proxy
 * forwarded ({@code X-Forwarded-Proto}, {@code X-Forwarded-For}, {@code Forwarded}), and those
 * become {@code aws:SecureTransport} and {@code aws:SourceIp} (ADR 027). Quarkus trusts every peer
 * when {@code quarkus.http.proxy.trusted-proxies} is empty, so any caller could then claim TLS or
 * another address with one header: forwarding is accepted only with the proxies named.
 */
final class ProxyForwarding {
    private ProxyForwarding() {
    }

    static Optional<String> problem(Config config) {
        return problem(config.getOptionalValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class)
                .orElse(false), config.getOptionalValues("quarkus.http.proxy.trusted-proxies", String.class));
    }

    static Optional<String> problem(boolean forwarding, Optional<List<String>> trustedProxies) {
        boolean named = trustedProxies.map(l -> l.stream().anyMatch(s -> !s.isBlank())).orElse(false);
        if (forwarding && !named) {
            return Optional.of("quarkus.http.proxy.proxy-address-forwarding is on without"
                    + " quarkus.http.proxy.trusted-proxies: any caller could claim TLS (aws:SecureTransport) or"
                    + " another source address in a header; name the TLS-terminating proxies' addresses");
        }
        return Optional.empty();
    }
}
