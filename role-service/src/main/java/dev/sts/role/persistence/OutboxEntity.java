package dev.sts.role.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code outbox}: one event waiting to be relayed to Kafka. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "event_id")
    public UUID eventId;
    public String topic;
    @Column(name = "record_key")
    public String recordKey;
    public byte[] payload;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "published_at")
    public OffsetDateTime publishedAt;
}
