package dev.sts.role.domain;

import java.util.UUID;

/**
 * An event to be written to the outbox with the change it describes. A {@code null} payload is a
 * tombstone: the key was deleted (compacted topics drop it).
 */
public record OutboxEvent(UUID eventId, String topic, String key, byte[] payload) {
}
