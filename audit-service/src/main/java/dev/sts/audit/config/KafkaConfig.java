package dev.sts.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** The Kafka cluster ({@code kafka.*}; environment {@code KAFKA_*}), the same key every service reads. */
@ConfigMapping(prefix = "kafka")
public interface KafkaConfig {
    /** {@code host:port[,host:port...]} of the brokers. */
    @WithName("bootstrap.servers")
    String bootstrapServers();
}
