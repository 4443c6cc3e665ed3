package dev.sts.audit.events;

import dev.sts.audit.config.KafkaConfig;
import dev.sts.audit.domain.Checkpoint;
import dev.sts.audit.domain.CheckpointPublisher;
import dev.sts.kit.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes checkpoints to {@link Topics#AUDIT_CHECKPOINTS}: key the chain id, value the JWS (UTF-8),
 * header {@code content-type: application/jose}. {@code acks=all}, idempotent, awaited: a
 * checkpoint counts as anchored only once the brokers hold it.
 */
@ApplicationScoped
public class KafkaCheckpointPublisher implements CheckpointPublisher {
    /** RFC 7515 section 9.2.1: the media type of a JWS in compact serialization. */
    public static final String CONTENT_TYPE = "application/jose";
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaCheckpointPublisher(KafkaConfig kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-checkpoints");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(Checkpoint checkpoint) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(Topics.AUDIT_CHECKPOINTS, null, checkpoint.chainId(),
                    checkpoint.jws().getBytes(StandardCharsets.UTF_8), headers)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a checkpoint", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot write to " + Topics.AUDIT_CHECKPOINTS + ": " + cause, cause);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
