package dev.sts.audit.events;

import dev.sts.audit.domain.AuditLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Keeps a consumer running until {@link #stop()}. An interrupt, an unexpected wake-up or any other
 * failure is logged and shown in health, and the consumer is closed without committing and
 * replaced after a backoff. The new one resumes at the committed offsets, so the uncommitted poll
 * is redelivered and stored idempotently (by event id). Nothing ends ingestion silently. (A
 * refused offset commit is not a failure: commits are asynchronous, and the next one covers the
 * same records; see {@link IngestLoop}.)
 */
final class ConsumerSupervisor implements Runnable {
    private static final Logger LOG = Logger.getLogger(ConsumerSupervisor.class);

    private final Supplier<Consumer<String, byte[]>> factory;
    private final List<String> topics;
    private final AuditLog log;
    private final DeadLetters deadLetters;
    private final IngestionHealth health;
    private final InstantSource clock;
    private final IngestLoop.Settings settings;
    private volatile boolean running = true;
    private volatile Consumer<String, byte[]> current;

    ConsumerSupervisor(Supplier<Consumer<String, byte[]>> factory, List<String> topics, AuditLog log, DeadLetters deadLetters,
            IngestionHealth health, InstantSource clock, IngestLoop.Settings settings) {
        this.factory = factory;
        this.topics = topics;
        this.log = log;
        this.deadLetters = deadLetters;
        this.health = health;
        this.clock = clock;
        this.settings = settings;
    }

    /** Ends {@link #run()} soon; a poll not yet stored stays uncommitted. */
    void stop() {
        running = false;
        Consumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
    }

    boolean running() {
        return running;
    }

    @Override
    public void run() {
        int failures = 0;
        while (running) {
            Consumer<String, byte[]> c = null;
            try {
                c = factory.get();
                current = c;
                c.subscribe(topics);
                try (IngestLoop loop = new IngestLoop(c, log, deadLetters, health, clock, settings, () -> running)) {
                    while (running) {
                        loop.pollOnce();
                        failures = 0;
                    }
                }
            } catch (WakeupException | IngestLoop.StoppedException e) {
                if (running) {
                    failures++;
                    problem("was woken up unexpectedly; resubscribing", e);
                }
            } catch (InterruptedException | InterruptException e) {
                if (running) {
                    failures++;
                    problem("was interrupted; the poll in progress stays uncommitted; resubscribing", e);
                }
            } catch (RuntimeException e) {
                failures++;
                LOG.error("audit consumer failed; resubscribing", e);
                health.consumerFailed("failed (" + e.getClass().getSimpleName() + "); resubscribing");
            } finally {
                Thread.interrupted(); // handled above; it must not break close() or the pause
                current = null;
                if (c != null) {
                    close(c);
                }
            }
            if (running && failures > 0) {
                pause(failures);
            }
        }
        LOG.info("audit consumer stopped");
    }

    private void problem(String what, Exception e) {
        LOG.warnf("audit consumer %s (%s)", what, e.toString());
        health.consumerFailed(what);
    }

    private void pause(int failures) {
        try {
            settings.backoff().pause(failures);
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private static void close(Consumer<String, byte[]> c) {
        try {
            c.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("closing the audit consumer: %s", e);
        }
    }
}
