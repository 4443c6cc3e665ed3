package dev.sts.role.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** role-service settings ({@code sts.role.*}; environment {@code STS_ROLE_*}). */
@ConfigMapping(prefix = "sts.role")
public interface RoleConfig {
    /** How often the outbox relay looks for unpublished events while the event log answers. */
    @WithDefault("0.5s")
    Duration outboxInterval();

    /** Events the relay publishes per transaction at most. */
    @WithDefault("100")
    int outboxBatchSize();

    /**
     * The longest pause between relay attempts while the event log is unavailable; pauses double
     * from {@link #outboxInterval()} up to it, so an outage neither floods the log nor the broker.
     */
    @WithDefault("PT5S")
    Duration outboxMaxBackoff();
}
