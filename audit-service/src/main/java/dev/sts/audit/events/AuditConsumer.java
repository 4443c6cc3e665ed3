package dev.sts.audit.events;

import dev.sts.audit.config.AuditConfig;
import dev.sts.audit.config.KafkaConfig;
import dev.sts.audit.domain.AuditLog;
import dev.sts.kit.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs the consumer thread that feeds every event topic into the audit log (see {@link IngestLoop}
 * for what is stored, dead-lettered and committed when). The thread supervises its consumer: a
 * failed commit (the group rebalanced while a poll was being stored), an interrupt or any other
 * failure closes the consumer without committing and subscribes a new one, which resumes at the
 * committed offsets, so the uncommitted poll is redelivered and stored idempotently. Only
 * {@link #stop()} ends the thread; readiness reports it meanwhile.
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
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
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
        ensureTopics();
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
        running = true;
        thread = new Thread(this::supervise, "audit-consumer");
        thread.setDaemon(true);
        health.started(thread, clock.instant());
        thread.start();
    }

    /** Stops the thread; a poll that is not stored yet stays uncommitted and is redelivered later. */
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void supervise() {
        Backoff backoff = new Backoff(config.consumer().initialBackoff(), config.consumer().maxBackoff());
        IngestLoop.Settings settings = new IngestLoop.Settings(config.consumer().pollTimeout(),
                config.consumer().dataErrorAttempts(), backoff);
        int failures = 0;
        while (running) {
            KafkaConsumer<String, byte[]> c = null;
            try {
                c = newConsumer();
                consumer = c;
                c.subscribe(TOPICS);
                IngestLoop loop = new IngestLoop(c, log, deadLetters, health, clock, settings, () -> running);
                while (running) {
                    loop.pollOnce();
                    failures = 0;
                }
            } catch (WakeupException | IngestLoop.StoppedException e) {
                if (running) {
                    failures++;
                    problem("woken up unexpectedly; resubscribing", e);
                }
            } catch (InterruptedException | InterruptException e) {
                if (running) {
                    failures++;
                    problem("interrupted; the poll in progress stays uncommitted; resubscribing", e);
                }
            } catch (CommitFailedException e) {
                failures++;
                problem("commit refused (the group rebalanced); the poll will be redelivered; resubscribing", e);
            } catch (RuntimeException e) {
                failures++;
                LOG.error("audit consumer failed; resubscribing", e);
                health.consumerFailed(e.getClass().getSimpleName() + ": " + e.getMessage());
            } finally {
                Thread.interrupted(); // an interrupt is handled above; it must not break close() or the pause
                consumer = null;
                if (c != null) {
                    close(c);
                }
            }
            if (running && failures > 0) {
                pause(backoff, failures);
            }
        }
        LOG.info("audit consumer stopped");
    }

    private void problem(String what, Exception e) {
        LOG.warnf("audit consumer %s (%s)", what, e.toString());
        health.consumerFailed(what);
    }

    private static void pause(Backoff backoff, int failures) {
        try {
            backoff.pause(failures);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private static void close(KafkaConsumer<String, byte[]> c) {
        try {
            c.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("closing the audit consumer: %s", e);
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.consumer().maxPollRecords()));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void ensureTopics() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            for (String topic : List.of(Topics.ROLE_EVENTS, Topics.SESSION_EVENTS, Topics.REVOCATIONS, Topics.AUDIT_DEAD_LETTER)) {
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
}
