package dev.sts.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** audit-service settings ({@code sts.audit.*}; environment {@code STS_AUDIT_*}). */
@ConfigMapping(prefix = "sts.audit")
public interface AuditConfig {
    /** Kafka consumer group shared by all audit-service replicas; partitions are split among them. */
    @WithDefault("sts-audit")
    String consumerGroup();

    /** Partitions of each topic when audit-service creates missing topics at start. */
    @WithDefault("3")
    int topicPartitions();
}
