package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.tls.JwksTrust;
import dev.sts.kit.tls.TlsConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Verifies session tokens offline against token-service's published JWK set
 * ({@code sts.auth.jwks-url}), pinned to the configured issuer ({@code sts.auth.issuer}); see
 * {@link RemoteJwks} for how long keys are trusted. token-service replaces this bean with one that
 * uses its own key store.
 */
@ApplicationScoped
@DefaultBean
public class JwksSessionTokenVerifier implements SessionTokenVerifier {
    private final SessionTokenProcessor processor;

    @Inject
    public JwksSessionTokenVerifier(StsConfig config, TlsConfig tls, InstantSource clock) {
        this(config, JwksTrust.withTrust(tls.jwksTrustFile().map(Path::of)), clock);
    }

    JwksSessionTokenVerifier(StsConfig config, InstantSource clock) {
        this(config, Optional.empty(), clock);
    }

    JwksSessionTokenVerifier(StsConfig config, Optional<SSLContext> trust, InstantSource clock) {
        this.processor = config.auth().jwksUrl().map(url -> create(config.auth(), url, trust, clock)).orElse(null);
    }

    static SessionTokenProcessor create(StsConfig.Auth auth, String url, Optional<SSLContext> trust,
            InstantSource clock) {
        String issuer = auth.issuer().filter(i -> !i.isBlank()).orElseThrow(() -> new IllegalStateException(
                "sts.auth.issuer must be set where sts.auth.jwks-url is set (the iss of token-service's tokens)"));
        URI uri;
        try {
            uri = URI.create(url);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sts.auth.jwks-url is not an http(s) URL: " + url);
        }
        JwksFetcher fetcher = JwksFetcher.http(auth.jwksConnectTimeout(), auth.jwksReadTimeout(), auth.jwksMaxBytes(),
                trust);
        RemoteJwks keys = new RemoteJwks(uri, fetcher, auth.jwksRefresh(), auth.jwksMinRefetchInterval(), clock);
        return new SessionTokenProcessor(keys, auth.audience(), issuer, auth.clockSkew(), auth.verifiedTokenCacheSize(),
                clock);
    }

    @Override
    public SessionClaims verify(String sessionToken) {
        if (processor == null) {
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID,
                    "this service does not accept session tokens (sts.auth.jwks-url is not set)");
        }
        return processor.process(sessionToken);
    }
}
