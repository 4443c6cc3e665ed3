package dev.sts.audit.events;

import dev.sts.audit.config.AuditConfig;
import dev.sts.audit.domain.AuditRecords;
import dev.sts.audit.persistence.AuditStore;
import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.StsEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes every event topic into the audit store. Offsets are committed only after the batch's
 * database transaction committed, so a crash replays events rather than losing them, and the
 * store's unique event id makes the replay harmless. One partition is one hash chain; the consumer
 * group gives each partition a single writer.
 */
@ApplicationScoped
public class AuditConsumer {
    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
    private static final List<String> TOPICS = List.of(Topics.ROLE_EVENTS, Topics.SESSION_EVENTS, Topics.REVOCATIONS);
    private final AuditStore store;
    private final AuditConfig config;
    private final String bootstrapServers;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    public AuditConsumer(AuditStore store, AuditConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.store = store;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent ignored) {
        ensureTopics();
        thread = new Thread(this::run, "audit-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void ensureTopics() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            for (String topic : TOPICS) {
                NewTopic t = new NewTopic(topic, config.topicPartitions(), (short) -1);
                if (topic.equals(Topics.REVOCATIONS)) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("cannot create topic %s: %s", topic, e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(TOPICS);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<AuditStore.Incoming> batch = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> r : records) {
                    AuditRecord record = decode(r);
                    if (record != null) {
                        batch.add(new AuditStore.Incoming(r.topic(), r.partition(), r.offset(), record));
                    }
                }
                storeWithRetry(batch);
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Retries until the database takes the batch: skipping it would lose audit records. */
    private void storeWithRetry(List<AuditStore.Incoming> batch) {
        long backoff = 200;
        while (running) {
            try {
                int added = store.append(batch);
                LOG.debugf("stored %d of %d audit records", added, batch.size());
                return;
            } catch (Exception e) {
                LOG.warnf("cannot store audit batch (%s); retrying in %d ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        throw new IllegalStateException("stopped before the batch was stored");
    }

    private static AuditRecord decode(ConsumerRecord<String, byte[]> r) {
        try {
            AuditRecord record = AuditRecords.fromEvent(StsEvent.parseFrom(r.value()));
            if (record == null || record.getEventId().isEmpty()) {
                LOG.warnf("skipping an event of unknown kind at %s-%d@%d", r.topic(), r.partition(), r.offset());
            }
            return record == null || record.getEventId().isEmpty() ? null : record;
        } catch (Exception e) {
            // Kept out of the chain but never silently: the offset tells an operator where to look.
            LOG.errorf("skipping an undecodable event at %s-%d@%d", r.topic(), r.partition(), r.offset());
            return null;
        }
    }
}
