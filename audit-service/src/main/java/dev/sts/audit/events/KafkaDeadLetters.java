package dev.sts.audit.events;

import dev.sts.audit.config.KafkaConfig;
import dev.sts.kit.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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
    private final AwaitedProducer producer;

    public KafkaDeadLetters(KafkaConfig kafka) {
        this.producer = new AwaitedProducer(kafka.bootstrapServers(), "audit-dead-letters");
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
        producer.send(new ProducerRecord<>(Topics.AUDIT_DEAD_LETTER, null, source.key(), source.value(), headers),
                "writing a dead letter", DeadLetterUnavailableException::new);
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
