package dev.sts.token.webidentity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sts.kit.auth.JwksFetcher;
import dev.sts.kit.auth.JwksUnavailableException;
import dev.sts.kit.auth.RemoteJwks;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An issuer's keys found through its OpenID Connect discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, OpenID Connect Discovery 1.0 §4): the document
 * is fetched on first use, its {@code issuer} must equal the configured issuer exactly (§4.3, so a
 * document cannot speak for another issuer), and its {@code jwks_uri} is then read through a
 * {@link RemoteJwks} (cached, refetched on an unknown key id at most once per {@code minRefetch}).
 * A failed discovery is retried no more often than {@code minRefetch} either.
 */
final class DiscoveredJwks implements JWKSource<SecurityContext> {
    private final String issuer;
    private final JwksFetcher fetcher;
    private final Duration minRefetch;
    private final InstantSource clock;
    private final Function<URI, RemoteJwks> keysAt;

    private RemoteJwks keys;
    private Instant lastAttempt;
    private String lastError;

    DiscoveredJwks(String issuer, JwksFetcher fetcher, Duration minRefetch, InstantSource clock, Function<URI, RemoteJwks> keysAt) {
        this.issuer = issuer;
        this.fetcher = fetcher;
        this.minRefetch = minRefetch;
        this.clock = clock;
        this.keysAt = keysAt;
    }

    static URI discoveryUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws JwksUnavailableException {
        return source().get(selector, context);
    }

    private synchronized RemoteJwks source() throws JwksUnavailableException {
        if (keys != null) {
            return keys;
        }
        Instant now = clock.instant();
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefetch))) {
            throw new JwksUnavailableException("the discovery document of " + issuer + " cannot be fetched: " + lastError, null);
        }
        lastAttempt = now;
        try {
            Map<String, Object> doc = JSONObjectUtils.parse(fetcher.fetch(discoveryUrl(issuer)));
            String documented = JSONObjectUtils.getString(doc, "issuer");
            if (!issuer.equals(documented)) {
                throw new IOException("the discovery document names another issuer");
            }
            URI jwksUri = JSONObjectUtils.getURI(doc, "jwks_uri");
            // An https issuer's keys come over https too; http only for an http issuer (tests).
            boolean secure = issuer.startsWith("https://");
            if (jwksUri == null || !("https".equals(jwksUri.getScheme()) || !secure && "http".equals(jwksUri.getScheme()))) {
                throw new IOException("the discovery document has no " + (secure ? "https" : "http(s)") + " jwks_uri");
            }
            keys = keysAt.apply(jwksUri);
            return keys;
        } catch (IOException | ParseException | RuntimeException e) {
            lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new JwksUnavailableException("the discovery document of " + issuer + " cannot be fetched: " + lastError, e);
        }
    }
}
