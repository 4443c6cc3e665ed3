package dev.sts.audit.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.config.AuditConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The consumer's Kafka settings, from the defaults and from configuration (ADR 026). */
class AuditConsumerPropertiesTest {

    private static AuditConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AuditConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(AuditConfig.class);
    }

    @Test
    void byDefaultTheBrokerGathersABatchForUpToATenthOfASecond() {
        Properties p = AuditConsumer.consumerProperties("127.0.0.1:9092", config(Map.of()));

        // Kafka's own default (1 byte) answers each fetch with the one record that just arrived.
        assertThat(p.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("65536");
        assertThat(p.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("100");
        assertThat(p.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("2000");
        assertThat(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(p.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    }

    @Test
    void theFetchBatchIsConfigurableAndNeverBelowOneByte() {
        Properties p = AuditConsumer.consumerProperties("127.0.0.1:9092", config(Map.of(
                "sts.audit.consumer.fetch-min-bytes", "0",
                "sts.audit.consumer.fetch-max-wait", "PT0.025S")));

        assertThat(p.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("1");
        assertThat(p.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("25");
    }
}
