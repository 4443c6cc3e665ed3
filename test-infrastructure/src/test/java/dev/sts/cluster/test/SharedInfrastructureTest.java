package dev.sts.cluster.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SharedInfrastructureTest {

    @Test
    void isASingletonWithPostgresUrlsInTheExpectedForm() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        assertThat(SharedInfrastructure.get()).isSameAs(infra);
        assertThat(infra.jdbcUrl("roles")).matches("jdbc:postgresql://[^/:]+:\\d+/roles");
        assertThat(infra.reactiveUrl("roles")).matches("postgresql://[^/:]+:\\d+/roles");
        assertThat(infra.kafkaBootstrapServers()).matches("[^:,]+:\\d+");
    }

    @Test
    void createsADatabaseIdempotentlyAndAnswersSelectOne() throws Exception {
        SharedInfrastructure infra = SharedInfrastructure.get();
        assertThat(infra.createDatabase("lc_selftest")).isEqualTo("lc_selftest");
        infra.createDatabase("lc_selftest");
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("lc_selftest"), infra.username(), infra.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1, current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("lc_selftest");
        }
    }

    @Test
    void producesWithAcksAllAndConsumes() throws Exception {
        SharedInfrastructure infra = SharedInfrastructure.get();
        String topic = "lc-selftest-" + UUID.randomUUID();
        infra.createTopics(topic);
        infra.createTopics(topic); // idempotent

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        RecordMetadata meta;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            meta = producer.send(new ProducerRecord<>(topic, "key-1", "hello")).get(30, TimeUnit.SECONDS);
        }
        assertThat(meta.hasOffset()).isTrue();

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "lc-selftest-" + UUID.randomUUID()); // unique per run
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await("the record, consumed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                        return !records.isEmpty();
                    });
            ConsumerRecord<String, String> got = records.get(0);
            assertThat(got.key()).isEqualTo("key-1");
            assertThat(got.value()).isEqualTo("hello");
            assertThat(got.partition()).isEqualTo(meta.partition());
        }
    }

    @Test
    void quarkusResourceCreatesTheDatabaseAndReturnsTheConfig() throws Exception {
        InfrastructureResource resource = new InfrastructureResource();
        resource.init(Map.of("database", "lc_resource", "topics", "sts.revocations.v1, sts.role-events.v1"));
        Map<String, String> config = resource.start();
        SharedInfrastructure infra = SharedInfrastructure.get();

        assertThat(config).containsExactlyInAnyOrderEntriesOf(Map.of(
                "quarkus.datasource.reactive.url", infra.reactiveUrl("lc_resource"),
                "quarkus.datasource.jdbc.url", infra.jdbcUrl("lc_resource"),
                "quarkus.datasource.username", infra.username(),
                "quarkus.datasource.password", infra.password(),
                "kafka.bootstrap.servers", infra.kafkaBootstrapServers(),
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", infra.kafkaBootstrapServers()));
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
            assertThat(c.isValid(5)).isTrue();
        }
        resource.stop(); // no-op: still usable afterwards
        assertThat(SharedInfrastructure.get().createDatabase("lc_resource")).isEqualTo("lc_resource");
    }

    @Test
    void everyTopicOfTheSpecificationExistsWithItsSettingsAndNothingIsCreatedImplicitly() throws Exception {
        SharedInfrastructure infra = SharedInfrastructure.get();
        try (Admin admin = infra.admin()) {
            var described = admin.describeTopics(dev.sts.kit.events.Topics.names()).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            for (var spec : dev.sts.kit.events.Topics.ALL) {
                assertThat(described.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config cfg = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
                spec.configs(dev.sts.kit.events.Topics.Replication.SINGLE_BROKER)
                        .forEach((k, v) -> assertThat(cfg.get(k).value()).as(spec.name() + " " + k).isEqualTo(v));
            }

            // a producer to a topic nobody created does not create it
            String stray = "lc-stray-" + UUID.randomUUID();
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
            pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> producer.send(new ProducerRecord<>(stray, "k", "v")).get(10, TimeUnit.SECONDS))
                        .hasMessageContaining(stray);
            }
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(stray);
        }
    }
}
