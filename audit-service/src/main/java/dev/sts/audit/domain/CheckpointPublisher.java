package dev.sts.audit.domain;

/** Sends checkpoints out of the database (port; the events package writes them to Kafka). */
public interface CheckpointPublisher {
    /**
     * Publishes and waits for the broker's acknowledgement.
     *
     * @throws RuntimeException when the checkpoint was not acknowledged; the caller retries
     */
    void publish(Checkpoint checkpoint);
}
