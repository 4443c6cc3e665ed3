package dev.sts.token.api;

import dev.sts.kit.http.EntityTags;
import dev.sts.token.signing.KeyManager;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The public keys over plain HTTP, where JWT libraries look for them. Cacheable for half the
 * pre-publication lead (docs/adr/016-signing-key-rotation.md), so a cached copy always holds a key
 * before it signs; with an entity tag, so revalidation costs a 304.
 */
@ApplicationScoped
public class JwksRoute {
    private final KeyManager keys;

    public JwksRoute(KeyManager keys) {
        this.keys = keys;
    }

    @Route(path = "/.well-known/jwks.json", methods = Route.HttpMethod.GET)
    void jwks(RoutingContext rc) {
        KeyManager.Published published = keys.published();
        rc.response()
                .putHeader("cache-control", "public, max-age=" + keys.schedule().jwksMaxAge().toSeconds())
                .putHeader("etag", published.etag());
        if (matches(rc.request().getHeader("if-none-match"), published.etag())) {
            rc.response().setStatusCode(304).end();
            return;
        }
        rc.response().putHeader("content-type", "application/jwk-set+json").end(published.json());
    }

    /** RFC 9110 section 13.1.2: "*" or any listed tag, compared weakly (a W/ prefix is ignored). */
    static boolean matches(String ifNoneMatch, String etag) {
        return EntityTags.matches(ifNoneMatch, etag);
    }
}
