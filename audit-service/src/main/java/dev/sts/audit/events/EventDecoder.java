package dev.sts.audit.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditRecords;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.StsEvent;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into an audit entry, or says why it cannot become one. A record that is not
 * an {@code sts.v1.StsEvent}, of a kind this version does not know, or without a UUID event id
 * (the log's idempotence key) is never silently skipped: the caller dead-letters it.
 */
final class EventDecoder {
    private EventDecoder() {
    }

    /** Either an entry or a reason, never both; neither for a record that is not an event (a tombstone). */
    record Decoded(AuditEntry entry, String reason) {
        /** A tombstone on a compacted topic: the end of a key's state, not an event to store. */
        static final Decoded NOT_AN_EVENT = new Decoded(null, null);
    }

    static Decoded decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null && dev.sts.kit.events.Topics.spec(r.topic())
                .map(t -> t.cleanupPolicy().equals(dev.sts.kit.events.Topics.COMPACT)).orElse(false)) {
            // token-service tombstones an expired revocation; the revocation itself was recorded.
            return Decoded.NOT_AN_EVENT;
        }
        if (r.value() == null) {
            return rejected("undecodable: the record has no value");
        }
        StsEvent event;
        try {
            event = StsEvent.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            return rejected("undecodable: not an sts.v1.StsEvent (" + e.getMessage() + ")");
        }
        AuditRecord record;
        try {
            record = AuditRecords.fromEvent(event);
        } catch (RuntimeException e) {
            return rejected("undecodable: the event cannot be mapped (" + e.getClass().getSimpleName() + ")");
        }
        if (record == null) {
            return rejected("undecodable: an event kind this version does not know");
        }
        try {
            UUID.fromString(record.getEventId());
        } catch (IllegalArgumentException e) {
            return rejected("undecodable: the event id is not a UUID");
        }
        // protobuf's own rule (years 1-9999, nanos 0-999,999,999): the wire format allows any
        // int64 of seconds, and one beyond java.time.Instant's range made the store throw on every
        // redelivery instead of refusing the record.
        if (!com.google.protobuf.util.Timestamps.isValid(record.getEventTime())) {
            return rejected("undecodable: the event time is not a valid timestamp");
        }
        return new Decoded(new AuditEntry(r.topic(), r.partition(), r.offset(), record), null);
    }

    private static Decoded rejected(String reason) {
        return new Decoded(null, reason);
    }
}
