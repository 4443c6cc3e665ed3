package dev.sts.role.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** role-service settings ({@code sts.role.*}; environment {@code STS_ROLE_*}). */
@ConfigMapping(prefix = "sts.role")
public interface RoleConfig {
    /** The largest value {@link #maxAttachedPolicies()} may take: IAM's hard limit of 20. */
    int MAX_ATTACHED_POLICIES_LIMIT = 20;

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

    /**
     * Managed policies one role may have attached, 1-20. IAM's quota "Managed policies attached to
     * an IAM role" is 10 by default and can be raised to 20
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). A value outside
     * 1-20 stops the service at start.
     */
    @WithDefault("10")
    int maxAttachedPolicies();
}
