package dev.sts.token.api;

import dev.sts.token.signing.KeyManager;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The public keys over plain HTTP, where JWT libraries look for them. */
@ApplicationScoped
public class JwksRoute {
    private final KeyManager keys;

    public JwksRoute(KeyManager keys) {
        this.keys = keys;
    }

    @Route(path = "/.well-known/jwks.json", methods = Route.HttpMethod.GET)
    void jwks(RoutingContext rc) {
        rc.response()
                .putHeader("content-type", "application/jwk-set+json")
                .putHeader("cache-control", "public, max-age=300")
                .end(keys.publicKeys().toString(true));
    }
}
