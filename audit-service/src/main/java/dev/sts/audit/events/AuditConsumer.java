package dev.sts.audit.events;

import dev.sts.audit.config.AuditConfig;
import dev.sts.audit.config.KafkaConfig;
import dev.sts.audit.domain.AuditLog;
import dev.sts.kit.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.InstantSource;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs the thread that feeds every event topic into the audit log: a {@link ConsumerSupervisor}
 * keeps a consumer alive, and {@link IngestLoop} decides what is stored, dead-lettered and
 * committed when. Only {@link #stop()} ends the thread; readiness reports it meanwhile.
 */
@ApplicationScoped
public class AuditConsumer {
    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
    static final List<String> TOPICS = List.of(Topics.ROLE_EVENTS, Topics.SESSION_EVENTS, Topics.REVOCATIONS);

    private final AuditLog log;
    private final DeadLetters deadLetters;
    private final IngestionHealth health;
    private final InstantSource clock;
    private final AuditConfig config;
    private final KafkaConfig kafka;
    private ConsumerSupervisor supervisor;
    private Thread thread;

    public AuditConsumer(AuditLog log, KafkaDeadLetters deadLetters, IngestionHealth health, InstantSource clock,
            AuditConfig config, KafkaConfig kafka) {
        this.log = log;
        this.deadLetters = deadLetters;
        this.health = health;
        this.clock = clock;
        this.config = config;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent ignored) {
        start();
    }

    void onStop(@Observes ShutdownEvent ignored) {
        stop();
    }

    /** Starts the consumer thread unless it runs. */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        AuditConfig.Consumer c = config.consumer();
        IngestLoop.Settings settings = new IngestLoop.Settings(c.pollTimeout(), c.dataErrorAttempts(),
                new Backoff(c.initialBackoff(), c.maxBackoff()), c.storeThreads());
        supervisor = new ConsumerSupervisor(this::newConsumer, TOPICS, log, deadLetters, health, clock, settings);
        thread = new Thread(supervisor, "audit-consumer");
        thread.setDaemon(true);
        health.started(thread, clock.instant());
        thread.start();
    }

    /** Stops the thread; a poll that is not stored yet stays uncommitted and is redelivered later. */
    public synchronized void stop() {
        if (supervisor == null) {
            return;
        }
        supervisor.stop();
        thread.interrupt(); // out of a backoff pause at once
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(consumerProperties(kafka.bootstrapServers(), config), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    static Properties consumerProperties(String bootstrapServers, AuditConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.consumer().maxPollRecords()));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(Math.max(1, config.consumer().fetchMinBytes())));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(config.consumer().fetchMaxWait().toMillis()));
        long session = config.consumer().sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(session));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(1000, session / 3)));
        return p;
    }
}
