package dev.sts.audit.api;

import dev.sts.audit.config.CheckpointConfig;
import dev.sts.audit.signing.CheckpointKeys;
import dev.sts.kit.http.EntityTags;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The public keys of audit-service's checkpoints over plain HTTP, so that whoever archives
 * {@code sts.audit-checkpoints.v1} can verify what it copies with any JOSE library. Cacheable
 * ({@code sts.audit.checkpoint.jwks-max-age}) with an entity tag, as token-service's JWK set.
 */
@ApplicationScoped
public class CheckpointJwksRoute {
    public static final String PATH = "/.well-known/audit-checkpoint-jwks.json";

    private final CheckpointKeys keys;
    private final CheckpointConfig config;

    public CheckpointJwksRoute(CheckpointKeys keys, CheckpointConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @Route(path = PATH, methods = Route.HttpMethod.GET)
    void jwks(RoutingContext rc) {
        CheckpointKeys.Published published = keys.published();
        rc.response()
                .putHeader("cache-control", "public, max-age=" + config.jwksMaxAge().toSeconds())
                .putHeader("etag", published.etag());
        if (EntityTags.matches(rc.request().getHeader("if-none-match"), published.etag())) {
            rc.response().setStatusCode(304).end();
            return;
        }
        rc.response().putHeader("content-type", "application/jwk-set+json").end(published.json());
    }
}
