package dev.sts.kit.events;

import dev.sts.kit.error.StsException;
import com.google.protobuf.MessageLite;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes events durably: an idempotent producer with {@code acks=all}, and a returned
 * {@link Uni} that completes only when the broker has acknowledged the record. A send that the
 * broker does not acknowledge within the delivery timeout fails with {@code ServiceUnavailable},
 * so callers can fail closed.
 *
 * <p>A plain Kafka producer rather than a messaging channel: the caller needs the broker's
 * acknowledgement of this one record before answering, and a bounded wait for it.
 */
@ApplicationScoped
public class EventPublisher {
    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "sts.events.delivery-timeout", defaultValue = "PT10S") Duration deliveryTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(deliveryTimeout.toMillis(), 5000)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sts-events");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends one event and completes with its metadata once the broker has stored it on all in-sync replicas. */
    public Uni<RecordMetadata> publish(String topic, String key, MessageLite event) {
        return publish(topic, key, event.toByteArray());
    }

    /** Sends one already-serialized event (an outbox row), with the same guarantee. */
    public Uni<RecordMetadata> publish(String topic, String key, byte[] event) {
        return Uni.createFrom().<RecordMetadata>emitter(emitter -> {
            // The broker's acknowledgement arrives on the producer's I/O thread; continue on the
            // caller's Vert.x context, where reactive sessions and gRPC calls must stay.
            io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
            try {
                producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
                    Runnable done = error != null
                            ? () -> emitter.fail(StsException.unavailable("the event log is unavailable", error))
                            : () -> emitter.complete(metadata);
                    if (context != null) {
                        context.runOnContext(v -> done.run());
                    } else {
                        done.run();
                    }
                });
            } catch (RuntimeException e) {
                emitter.fail(StsException.unavailable("the event log is unavailable", e));
            }
        });
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
