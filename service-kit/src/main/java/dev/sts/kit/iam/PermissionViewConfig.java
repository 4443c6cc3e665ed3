package dev.sts.kit.iam;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The permission view ({@code sts.permission-view.*}; environment {@code STS_PERMISSION_VIEW_*}).
 * The broker is {@code kafka.bootstrap.servers}, as for publishing.
 */
@ConfigMapping(prefix = "sts.permission-view")
public interface PermissionViewConfig {
    /**
     * Whether this service reads {@code sts.permission-state.v1}. Without the view no session
     * caller is authorized (fail closed) and readiness does not wait for it: turn it off only where
     * no session caller is served.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The largest record value the view applies, in bytes. A role with 10 inline policies at IAM's
     * 10,240-character total and 20 attached ARNs is far below the default; a larger record is
     * skipped and counted, never parsed.
     */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** The longest wait between attempts to reconnect to the broker after the consumer failed. */
    @WithDefault("PT5S")
    Duration maxReconnectBackoff();

    /**
     * How long one broker request of the view (partition metadata, end offsets, positions) may
     * take before the consumer is recreated; bounds how long a broker that does not answer holds
     * the view's thread.
     */
    @WithDefault("PT10S")
    Duration requestTimeout();
}
