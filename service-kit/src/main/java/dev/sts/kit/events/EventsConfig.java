package dev.sts.kit.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How events are published to the event log ({@code sts.events.*}; environment {@code STS_EVENTS_*}). */
@ConfigMapping(prefix = "sts.events")
public interface EventsConfig {
    /**
     * How long a caller waits for the broker's acknowledgement of one event before it answers
     * {@code ServiceUnavailable}; also the longest a send may block for metadata ({@code max.block.ms})
     * and the timeout of the availability probe. Keeps AssumeRole and writes bounded when the broker
     * is down or paused.
     */
    @WithDefault("PT1S")
    Duration publishTimeout();

    /**
     * How long the producer keeps trying to deliver a record it accepted ({@code delivery.timeout.ms}).
     * A record whose caller already gave up may still be stored within this time: consumers
     * deduplicate on the event id.
     */
    @WithDefault("PT10S")
    Duration deliveryTimeout();

    /** Events waiting for the sender thread at most; beyond it a publish fails at once with ServiceUnavailable. */
    @WithDefault("1024")
    int sendQueueCapacity();

    /**
     * How long an observation of the event log (a publish result or a probe) stands before a write
     * that consults the availability gate probes the broker again.
     */
    @WithDefault("PT1S")
    Duration availabilityMaxAge();

    /**
     * Whether readiness goes DOWN while the event log is unavailable. Off by default: reads keep
     * being served, and every replica shares the same broker (see docs/adr/003-broker-outage.md).
     */
    @WithDefault("false")
    boolean readinessRequiresEventLog();
}
