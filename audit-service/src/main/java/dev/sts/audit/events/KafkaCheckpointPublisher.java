package dev.sts.audit.events;

import dev.sts.audit.config.KafkaConfig;
import dev.sts.audit.domain.Checkpoint;
import dev.sts.audit.domain.CheckpointPublisher;
import dev.sts.kit.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes checkpoints to {@link Topics#AUDIT_CHECKPOINTS}: key the chain id, value the JWS (UTF-8),
 * header {@code content-type: application/jose}. {@code acks=all}, idempotent, awaited: a
 * checkpoint counts as anchored only once the brokers hold it.
 */
@ApplicationScoped
public class KafkaCheckpointPublisher implements CheckpointPublisher {
    /** RFC 7515 section 9.2.1: the media type of a JWS in compact serialization. */
    public static final String CONTENT_TYPE = "application/jose";
    private final AwaitedProducer producer;

    public KafkaCheckpointPublisher(KafkaConfig kafka) {
        this.producer = new AwaitedProducer(kafka.bootstrapServers(), "audit-checkpoints");
    }

    @Override
    public void publish(Checkpoint checkpoint) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(Topics.AUDIT_CHECKPOINTS, null, checkpoint.chainId(),
                checkpoint.jws().getBytes(StandardCharsets.UTF_8), headers), "publishing a checkpoint",
                IllegalStateException::new);
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
