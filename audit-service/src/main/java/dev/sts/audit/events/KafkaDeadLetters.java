package dev.sts.audit.events;

import dev.sts.audit.config.KafkaConfig;
import dev.sts.kit.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes dead letters to {@link Topics#AUDIT_DEAD_LETTER} with {@code acks=all} and an idempotent
 * producer, and waits for the broker, because the source offset is committed right after.
 */
@ApplicationScoped
public class KafkaDeadLetters implements DeadLetters {
    public static final String REASON = "sts-dlt-reason";
    public static final String SOURCE_TOPIC = "sts-dlt-source-topic";
    public static final String SOURCE_PARTITION = "sts-dlt-source-partition";
    public static final String SOURCE_OFFSET = "sts-dlt-source-offset";
    public static final String EVENT_ID = "sts-dlt-event-id";
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaDeadLetters(KafkaConfig kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-dead-letters");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(ConsumerRecord<String, byte[]> source, String eventId, String reason) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        put(headers, REASON, reason);
        put(headers, SOURCE_TOPIC, source.topic());
        put(headers, SOURCE_PARTITION, String.valueOf(source.partition()));
        put(headers, SOURCE_OFFSET, String.valueOf(source.offset()));
        if (eventId != null) {
            put(headers, EVENT_ID, eventId);
        }
        try {
            producer.send(new ProducerRecord<>(Topics.AUDIT_DEAD_LETTER, null, source.key(), source.value(), headers))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailableException("interrupted while writing a dead letter", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new DeadLetterUnavailableException("cannot write to " + Topics.AUDIT_DEAD_LETTER + ": " + cause, cause);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
