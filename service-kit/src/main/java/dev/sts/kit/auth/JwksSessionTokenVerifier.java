package dev.sts.kit.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.tls.JwksRetriever;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.MalformedURLException;
import java.net.URI;

/**
 * Verifies session tokens offline against token-service's published JWK set ({@code sts.auth.jwks-url}),
 * fetched once and cached, refreshed when a token names an unknown key id. token-service replaces
 * this bean with one that uses its own key store.
 */
@ApplicationScoped
@DefaultBean
public class JwksSessionTokenVerifier implements SessionTokenVerifier {
    private final SessionTokenProcessor processor;

    public JwksSessionTokenVerifier(StsConfig config) {
        this.processor = config.auth().jwksUrl().map(url -> new SessionTokenProcessor(remote(url),
                config.auth().audience(), null)).orElse(null);
    }

    @Override
    public SessionClaims verify(String sessionToken) {
        if (processor == null) {
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID,
                    "this service does not accept session tokens (sts.auth.jwks-url is not set)");
        }
        return processor.process(sessionToken);
    }

    private static JWKSource<SecurityContext> remote(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL(), JwksRetriever.configured()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("sts.auth.jwks-url is not a URL: " + url);
        }
    }
}
