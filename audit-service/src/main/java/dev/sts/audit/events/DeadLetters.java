package dev.sts.audit.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where records go that can never be stored. {@link #publish} returns only once the record is
 * durably written: the consumer commits the source offset after that, so a failure here must
 * throw {@link DeadLetterUnavailableException} and the record is tried again, never dropped.
 */
interface DeadLetters {
    /**
     * Writes the record unchanged (key, value, headers) with headers naming the reason and the source.
     *
     * @param eventId the event id when the record was decoded, else null
     * @param reason why it cannot be stored; safe to log (names a cause, never a value)
     */
    void publish(ConsumerRecord<String, byte[]> source, String eventId, String reason);

    /** The dead-letter topic could not take the record; retry later. */
    final class DeadLetterUnavailableException extends RuntimeException {
        DeadLetterUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
