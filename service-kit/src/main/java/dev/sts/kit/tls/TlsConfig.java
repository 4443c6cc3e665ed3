package dev.sts.kit.tls;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * What this system adds to Quarkus's TLS registry ({@code quarkus.tls.*}, which serves the certificate
 * and verifies peers): who a verified client certificate is, and whom to trust when fetching the JWK set
 * ({@code sts.tls.*}; environment {@code STS_TLS_*}). See ADR 007.
 */
@ConfigMapping(prefix = "sts.tls")
public interface TlsConfig {
    /**
     * SPIFFE IDs of callers and the principal each one is, as {@code <spiffe-id>=<principal>} entries
     * (e.g. {@code spiffe://cluster.local/ns/sts/sa/token-service=token-service.sts.internal}). A caller
     * without a bearer credential whose verified client certificate carries a listed ID is that principal;
     * any other certificate gives no identity.
     */
    Optional<List<String>> spiffePrincipals();

    /**
     * PEM file of the CA certificates that verify token-service's certificate when the JWK set
     * ({@code sts.auth.jwks-url}) is fetched over https; unset, the JVM's default trust store.
     */
    Optional<String> jwksTrustFile();
}
