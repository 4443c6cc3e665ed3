package dev.sts.kit.revocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Session revocations ({@code sts.revocations.*}; environment {@code STS_REVOCATIONS_*}). The broker
 * is {@code kafka.bootstrap.servers}, as for publishing.
 */
@ConfigMapping(prefix = "sts.revocations")
public interface RevocationsConfig {
    /**
     * Whether this service reads {@code sts.revocations.v1}. Without it no session token is accepted
     * (a revoked session cannot be told from a valid one) and readiness does not wait for it: turn it
     * off only where no session caller is served.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The largest record value applied, in bytes. A {@code SessionsRevoked} with a 1,000-character
     * reason is far below it; a larger record is skipped and counted, never parsed.
     */
    @WithDefault("16384")
    int maxRecordBytes();

    /** The longest wait between attempts to reconnect to the broker after the consumer failed. */
    @WithDefault("PT5S")
    Duration maxReconnectBackoff();

    /** How long one broker request of the reader may take before the consumer is recreated. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /**
     * token-service only: how often it publishes revocations whose first publication failed and
     * tombstones revocations that have expired.
     */
    @WithDefault("PT5S")
    Duration maintenanceInterval();
}
