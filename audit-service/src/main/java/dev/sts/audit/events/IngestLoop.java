package dev.sts.audit.events;

import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditStoreUnavailableException;
import dev.sts.audit.domain.RecordRejectedException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One poll at a time from Kafka into the audit log. The guarantees:
 * <ul>
 * <li>Offsets are committed only after every record of the poll is stored or dead-lettered; any
 * exception (an interrupt included) leaves the poll uncommitted, so it is redelivered.</li>
 * <li>A poll is stored in one transaction. When the database refuses it as data, the records are
 * stored one by one, each in its own transaction: one bad record holds back no other, and each
 * chain links only records that are stored.</li>
 * <li>A record refused as data {@code dataErrorAttempts} times, or one that cannot be decoded,
 * goes to the dead-letter topic; unavailability (of the store or of the dead-letter topic) is
 * retried with backoff for as long as it lasts and never dead-letters anything.</li>
 * <li>Backpressure: one poll is in flight at a time, so memory is bounded by
 * {@code max.poll.records} and the fetch buffers. While a retry waits, every assigned partition is
 * paused and the consumer keeps polling (returning nothing), which keeps it in its group through a
 * long outage instead of being evicted after {@code max.poll.interval.ms}; the partitions resume
 * once the poll is stored. A record a pause-time poll returns anyway (a partition assigned by a
 * rebalance meanwhile) is sought back to, so it is fetched again, never skipped.</li>
 * </ul>
 * Not thread-safe: the consumer thread owns it.
 */
final class IngestLoop {
    private static final Logger LOG = Logger.getLogger(IngestLoop.class);

    /** Tuning of the loop. */
    record Settings(Duration pollTimeout, int dataErrorAttempts, Backoff backoff) {
    }

    /** Thrown when the service stops while a poll is not yet stored; its offsets stay uncommitted. */
    static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("stopped before the poll was stored");
        }
    }

    private record Pending(ConsumerRecord<String, byte[]> raw, AuditEntry entry) {
    }

    private final Consumer<String, byte[]> consumer;
    private final AuditLog log;
    private final DeadLetters deadLetters;
    private final IngestionHealth health;
    private final InstantSource clock;
    private final Settings settings;
    private final BooleanSupplier running;

    IngestLoop(Consumer<String, byte[]> consumer, AuditLog log, DeadLetters deadLetters, IngestionHealth health,
            InstantSource clock, Settings settings, BooleanSupplier running) {
        this.consumer = consumer;
        this.log = log;
        this.deadLetters = deadLetters;
        this.health = health;
        this.clock = clock;
        this.settings = settings;
        this.running = running;
    }

    /** Polls once, stores or dead-letters everything polled, then commits. */
    void pollOnce() throws InterruptedException {
        ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
        health.polled(clock.instant(), lag());
        if (records.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            EventDecoder.Decoded d = EventDecoder.decode(r);
            if (d.entry() != null) {
                batch.add(new Pending(r, d.entry()));
            } else if (d.reason() != null) {
                deadLetter(r, null, d.reason());
            }
        }
        store(batch);
        consumer.commitSync(nextOffsets(records));
    }

    private void store(List<Pending> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            int added = untilAvailable(() -> log.append(batch.stream().map(Pending::entry).toList()));
            health.stored(added, System.nanoTime() - t0);
            LOG.debugf("stored %d of %d audit records", added, batch.size());
            return;
        } catch (RecordRejectedException e) {
            LOG.warnf("the database refused a poll of %d records (%s); storing them one by one", batch.size(), e.getMessage());
        }
        for (Pending p : batch) {
            storeAlone(p);
        }
    }

    private void storeAlone(Pending p) throws InterruptedException {
        RecordRejectedException last = null;
        for (int attempt = 1; attempt <= Math.max(1, settings.dataErrorAttempts()); attempt++) {
            try {
                long t0 = System.nanoTime();
                int added = untilAvailable(() -> log.append(List.of(p.entry())));
                health.stored(added, System.nanoTime() - t0);
                return;
            } catch (RecordRejectedException e) {
                last = e;
                if (attempt < settings.dataErrorAttempts()) {
                    settings.backoff().pause(attempt);
                }
            }
        }
        deadLetter(p.raw(), p.entry().record().getEventId(), last.getMessage());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String eventId, String reason) throws InterruptedException {
        LOG.errorf("dead-lettering the record at %s-%d@%d (event id %s): %s", r.topic(), r.partition(), r.offset(),
                eventId == null ? "unknown" : eventId, reason);
        untilAvailable(() -> {
            deadLetters.publish(r, eventId, reason);
            return null;
        });
        health.deadLettered(eventId != null);
    }

    /** Runs the action until it does not fail for unavailability; data errors pass through to the caller. */
    private <T> T untilAvailable(Supplier<T> action) throws InterruptedException {
        boolean paused = false;
        try {
            for (int attempt = 1;; attempt++) {
                if (!running.getAsBoolean()) {
                    throw new StoppedException();
                }
                try {
                    T result = action.get();
                    health.storeOk();
                    return result;
                } catch (AuditStoreUnavailableException | DeadLetters.DeadLetterUnavailableException e) {
                    health.storeFailing(e.getMessage());
                    Duration delay = settings.backoff().delay(attempt);
                    LOG.warnf("audit ingestion is waiting (%s); retry %d in %d ms", e.getMessage(), attempt, delay.toMillis());
                    settings.backoff().pause(attempt);
                    keepMembership();
                    paused = true;
                }
            }
        } finally {
            if (paused) {
                consumer.resume(consumer.paused());
            }
        }
    }

    /**
     * Polls with every partition paused: the group sees a live member, and nothing is fetched into
     * memory while the store cannot take it. Records returned anyway (a partition newly assigned by
     * a rebalance during this poll, not paused yet) are not kept: the position is set back to the
     * first of them, so they are fetched again after the pause.
     */
    private void keepMembership() {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
        for (TopicPartition tp : stray.partitions()) {
            consumer.seek(tp, stray.records(tp).get(0).offset());
        }
        consumer.pause(consumer.assignment());
        health.polled(clock.instant(), lag());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Lag from the consumer's own fetch metadata: no call to the broker. */
    private Map<String, Long> lag() {
        Map<String, Long> lag = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag.put(tp.topic() + "-" + tp.partition(), l.getAsLong());
            }
        }
        return lag;
    }
}
