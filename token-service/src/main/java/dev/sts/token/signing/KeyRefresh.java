package dev.sts.token.signing;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Reloads the signing keys from the database on every replica every
 * {@code sts.token.key-refresh-interval}, writing the next key when the schedule needs one: this is
 * what makes a key written by one replica published by all of them well before it signs.
 */
@ApplicationScoped
public class KeyRefresh {
    private static final Logger LOG = Logger.getLogger(KeyRefresh.class);
    private final KeyManager keys;
    private volatile String lastError;

    public KeyRefresh(KeyManager keys) {
        this.keys = keys;
    }

    @Scheduled(every = "${sts.token.key-refresh-interval:PT1M}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            keys.refresh();
            if (lastError != null) {
                LOG.info("signing keys are read from the database again");
            }
            lastError = null;
        } catch (RuntimeException e) {
            // The loaded keys (the next one included, written a lead ahead) keep signing and verifying.
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                LOG.warnf("cannot refresh the signing keys, keeping the loaded ones: %s", e.getMessage());
            }
            lastError = String.valueOf(e.getMessage());
        }
    }
}
