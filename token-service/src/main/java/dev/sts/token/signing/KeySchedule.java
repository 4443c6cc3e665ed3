package dev.sts.token.signing;

import dev.sts.kit.config.StsConfig;
import dev.sts.token.config.TokenConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * When keys are written, sign and are published (docs/adr/016-signing-key-rotation.md).
 *
 * <p>A key is written {@code prePublication} before it signs. Within {@code refreshInterval} every
 * replica has loaded and publishes it; an HTTP cache may serve an older JWK set for
 * {@link #jwksMaxAge()} (half the lead) more; a verifier may hold that set for its own refresh
 * interval ({@code sts.auth.jwks-refresh}) more. The lead must cover all three, so every verifier
 * holds a key before the first token signed with it exists. A key signs for {@code period} and is
 * published until {@link KeyManager#MAX_SESSION} plus {@link #LEEWAY} after, so it outlives every
 * token it signed, including a verifier's clock skew.
 */
public record KeySchedule(Duration period, Duration prePublication, Duration refreshInterval) {
    /** The shortest signing period accepted. */
    public static final Duration MIN_PERIOD = Duration.ofHours(1);
    /**
     * Publication beyond the last expiry a key's tokens can carry, and the wait after a key stops
     * signing before its private key is destroyed: covers clock skew between replicas and
     * verifiers (SessionTokenProcessor allows 30 s) and a validation leeway of 60 s.
     */
    public static final Duration LEEWAY = Duration.ofMinutes(5);

    public KeySchedule {
        if (period.compareTo(MIN_PERIOD) < 0) {
            throw new IllegalStateException("sts.token.key-signing-period is " + period + "; it must be at least " + MIN_PERIOD
                    + " (each period writes a key that stays published 12 h longer)");
        }
        if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("sts.token.key-refresh-interval is " + refreshInterval + "; it must be at least PT1S");
        }
        if (prePublication.isNegative() || prePublication.compareTo(period) >= 0) {
            throw new IllegalStateException("sts.token.key-pre-publication is " + prePublication
                    + "; it must be shorter than sts.token.key-signing-period (" + period + ")");
        }
    }

    /** The schedule configured for this service, checked against the verifiers' JWK set refresh interval. */
    public static KeySchedule of(TokenConfig config, StsConfig sts) {
        KeySchedule schedule = new KeySchedule(config.keySigningPeriod(), config.keyPrePublication(), config.keyRefreshInterval());
        schedule.requireLeadCovers(sts.auth().jwksRefresh());
        return schedule;
    }

    /**
     * Refuses a lead too short for a new key to reach every replica, HTTP cache and verifier before
     * it signs: refresh interval + cache lifetime (lead / 2) + the verifiers' refresh must fit in it.
     */
    void requireLeadCovers(Duration verifierRefresh) {
        Duration needed = refreshInterval.plus(verifierRefresh).multipliedBy(2);
        if (prePublication.compareTo(needed) < 0) {
            throw new IllegalStateException("sts.token.key-pre-publication is " + prePublication + "; it must be at least "
                    + needed + ", twice sts.token.key-refresh-interval (" + refreshInterval + ") plus sts.auth.jwks-refresh ("
                    + verifierRefresh + "), so that replicas, HTTP caches (max-age is half the lead) and verifiers hold a new "
                    + "key before it signs");
        }
    }

    /** The {@code max-age} of the JWK set over HTTP: half the lead (see the class comment). */
    public Duration jwksMaxAge() {
        return prePublication.dividedBy(2);
    }

    /** The end of publication of a key that signs until {@code signUntil}. */
    public Instant publishUntil(Instant signUntil) {
        return signUntil.plus(KeyManager.MAX_SESSION).plus(LEEWAY);
    }

    /** A next key is written once the last scheduled signing ends within this time. */
    Duration writeAhead() {
        return prePublication.plus(refreshInterval);
    }
}
