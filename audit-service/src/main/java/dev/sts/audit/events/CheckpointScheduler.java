package dev.sts.audit.events;

import dev.sts.audit.config.CheckpointConfig;
import dev.sts.audit.domain.ChainStore;
import dev.sts.audit.domain.Checkpointer;
import dev.sts.audit.signing.CheckpointKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the {@link Checkpointer} every {@code sts.audit.checkpoint.poll-interval} on its own
 * thread, beside (never inside) the ingest loop. A failed round (database or broker unavailable)
 * is logged and the next round tries again; checkpoints stored but not yet published are retried
 * first.
 */
@ApplicationScoped
public class CheckpointScheduler {
    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class);

    private final Checkpointer checkpointer;
    private final CheckpointKeys keys;
    private final CheckpointConfig config;
    private ScheduledExecutorService executor;
    private volatile String lastFailure;

    public CheckpointScheduler(ChainStore store, CheckpointKeys keys, KafkaCheckpointPublisher publisher, InstantSource clock,
            CheckpointConfig config) {
        this.checkpointer = new Checkpointer(store, keys, publisher, clock,
                new Checkpointer.Settings(config.everyRecords(), config.everyInterval()));
        this.keys = keys;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ignored) {
        // Loads (or creates) the checkpoint key now: a key-encryption key that opens no stored key
        // stops the start instead of failing every round.
        keys.signingKid();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
        long period = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ignored) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Checkpoints every chain whose head moved, due or not (operators before an archive run; tests). */
    public List<dev.sts.audit.domain.Checkpoint> checkpointNow() {
        return checkpointer.checkpointNow();
    }

    private void round() {
        try {
            checkpointer.tick();
            if (lastFailure != null) {
                LOG.info("audit-service: checkpoints resumed");
                lastFailure = null;
            }
        } catch (RuntimeException e) {
            String failure = String.valueOf(e.getMessage());
            if (!failure.equals(lastFailure)) {
                LOG.warnf("audit-service: checkpoint round failed, retrying: %s", failure);
                lastFailure = failure;
            }
        }
    }
}
