package dev.sts.kit.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * token-service's published keys, as a JWK source for the session-token verifier.
 *
 * <ul>
 *   <li>The set is reloaded once it is older than {@code refresh}, so a key that token-service
 *       stopped publishing is no longer trusted after at most {@code refresh} (not only when some
 *       token names an unknown key id, which an attacker holding a retired key would never do).
 *   <li>A token naming a key id that is not in the set triggers a reload, at most once per
 *       {@code minRefetch} (shared by all callers): forged key ids cannot turn every request into
 *       a fetch of the JWK set.
 *   <li>When a reload fails, the last good set is used until it is {@code 2 × refresh} old (a
 *       token-service restart does not stop every other service); after that every verification
 *       fails with {@link JwksUnavailableException} ({@code ServiceUnavailable}): fail closed.
 *   <li>Failed fetches are rate-limited by {@code minRefetch} too, so an endpoint that is down is
 *       not hammered by every request.
 * </ul>
 *
 * <p>Time comes from an injected {@link InstantSource}, so the bounds are tested with a fake clock.
 */
public final class RemoteJwks implements JWKSource<SecurityContext> {
    private static final Logger LOG = Logger.getLogger(RemoteJwks.class);

    private final URI url;
    private final JwksFetcher fetcher;
    private final Duration refresh;
    private final Duration minRefetch;
    private final InstantSource clock;

    private JWKSet keys;
    private Instant fetchedAt;
    private Instant lastAttempt;
    private String lastError;

    public RemoteJwks(URI url, JwksFetcher fetcher, Duration refresh, Duration minRefetch, InstantSource clock) {
        this.url = Objects.requireNonNull(url);
        this.fetcher = Objects.requireNonNull(fetcher);
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("the JWK set refresh interval must be positive");
        }
        this.refresh = refresh;
        // A rate limit longer than the refresh interval would stretch the bound on removed keys.
        this.minRefetch = minRefetch.compareTo(refresh) > 0 ? refresh : minRefetch;
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws JwksUnavailableException {
        List<JWK> found = selector.select(keys(false));
        if (found.isEmpty()) {
            found = selector.select(keys(true));
        }
        return found;
    }

    /** The current set, reloaded when due, or when {@code unknownKey} and the rate limit allows. */
    synchronized JWKSet keys(boolean unknownKey) throws JwksUnavailableException {
        Instant now = clock.instant();
        boolean due = keys == null || !now.isBefore(fetchedAt.plus(refresh));
        boolean allowed = lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefetch));
        if ((due || unknownKey) && allowed) {
            lastAttempt = now;
            try {
                JWKSet fetched = JWKSet.parse(fetcher.fetch(url));
                // Only public keys are ever used to verify; a private key in the document is ignored.
                keys = fetched.toPublicJWKSet();
                fetchedAt = now;
                if (lastError != null) {
                    LOG.infof("JWK set at %s is reachable again", url);
                }
                lastError = null;
            } catch (IOException | ParseException | RuntimeException e) {
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!error.equals(lastError)) {
                    LOG.warnf("cannot fetch the JWK set at %s: %s", url, error);
                }
                lastError = error;
            }
        }
        if (keys == null || !now.isBefore(fetchedAt.plus(refresh.multipliedBy(2)))) {
            throw new JwksUnavailableException("the JWK set at " + url + " cannot be fetched: "
                    + (lastError == null ? "not fetched yet" : lastError), null);
        }
        return keys;
    }
}
