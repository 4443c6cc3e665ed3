package dev.sts.audit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditStoreUnavailableException;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.RecordRejectedException;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer loop's guarantees, with Kafka's MockConsumer and a hand-written store. */
class IngestLoopTest {
    static final TopicPartition TP = new TopicPartition("sts.session-events.v1", 0);
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** Every case runs through the parallel store workers (ADR 028); one thread is the same path with one worker. */
    static final int STORE_THREADS = 3;

    MockConsumer<String, byte[]> consumer;
    FakeLog log;
    List<String> deadLetters;
    IngestionHealth health;
    boolean running;

    @BeforeEach
    void setUp() {
        consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 0L));
        log = new FakeLog();
        deadLetters = new ArrayList<>();
        health = new IngestionHealth();
        running = true;
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    IngestLoop loop() {
        DeadLetters dl = (source, eventId, reason) -> deadLetters.add(source.offset() + " " + eventId + " " + reason);
        return new IngestLoop(consumer, log, dl, health, InstantSource.fixed(NOW),
                new IngestLoop.Settings(Duration.ofMillis(1), 3, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), STORE_THREADS),
                () -> running);
    }

    static byte[] event(String eventId) {
        return StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(eventId).setEventTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()))
                        .setActor(UserIdentity.newBuilder().setArn("arn:aws:iam::000000000000:user/u")))
                .setEventName("AssumeRole").setRoleArn("arn:aws:iam::000000000000:role/r")).build().toByteArray();
    }

    void add(long offset, byte[] value) {
        consumer.addRecord(new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "key", value));
    }

    OffsetAndMetadata committed() {
        return consumer.committed(Set.of(TP)).get(TP);
    }

    @Test
    void anInterruptDuringTheStoreRetryCommitsNothing() {
        add(0, event(UUID.randomUUID().toString()));
        log.behaviour = batch -> {
            Thread.currentThread().interrupt(); // e.g. an executor shutting the thread down
            throw new AuditStoreUnavailableException("SQLState 08001: connection refused", null);
        };

        assertThatThrownBy(() -> loop().pollOnce()).isInstanceOf(InterruptedException.class);
        assertThat(committed()).isNull();
        assertThat(log.stored).isEmpty();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void stoppingDuringAnOutageCommitsNothing() {
        add(0, event(UUID.randomUUID().toString()));
        log.behaviour = batch -> {
            running = false;
            throw new AuditStoreUnavailableException("SQLState 57P01: terminating connection", null);
        };

        assertThatThrownBy(() -> loop().pollOnce()).isInstanceOf(IngestLoop.StoppedException.class);
        assertThat(committed()).isNull();
    }

    @Test
    void unavailabilityIsRetriedNeverDeadLetteredAndShowsInHealth() throws Exception {
        String id = UUID.randomUUID().toString();
        add(0, event(id));
        int[] calls = {0};
        log.behaviour = batch -> {
            if (++calls[0] < 4) {
                assertThat(calls[0] == 1 || health.snapshot().storeProblem() != null).isTrue();
                throw new AuditStoreUnavailableException("SQLState 08006: connection failure", null);
            }
            return log.store(batch);
        };

        loop().pollOnce();
        assertThat(log.stored).containsExactly(id);
        assertThat(deadLetters).isEmpty();
        assertThat(committed().offset()).isEqualTo(1);
        assertThat(health.snapshot().storeProblem()).isNull();
    }

    @Test
    void duringAnOutageThePartitionsArePausedNothingMoreIsFetchedAndTheyResumeOnceStored() throws Exception {
        String first = UUID.randomUUID().toString();
        String later = UUID.randomUUID().toString();
        add(0, event(first));
        int[] calls = {0};
        List<Set<TopicPartition>> pausedDuringRetries = new ArrayList<>();
        log.behaviour = batch -> {
            calls[0]++;
            if (calls[0] == 1) {
                add(1, event(later)); // published while the store is down
            } else {
                pausedDuringRetries.add(Set.copyOf(consumer.paused()));
            }
            if (calls[0] < 4) {
                throw new AuditStoreUnavailableException("SQLState 08006: connection failure", null);
            }
            return log.store(batch);
        };

        IngestLoop loop = loop();
        loop.pollOnce();
        assertThat(pausedDuringRetries).hasSize(3).allSatisfy(p -> assertThat(p).containsExactly(TP));
        assertThat(log.stored).as("the record published during the outage is not in the stored poll").containsExactly(first);
        assertThat(consumer.paused()).as("resumed once stored").isEmpty();
        assertThat(committed().offset()).isEqualTo(1);

        loop.pollOnce();
        assertThat(log.stored).as("and it is fetched after the pause, not skipped").containsExactly(first, later);
        assertThat(committed().offset()).isEqualTo(2);
    }

    @Test
    void aRecordRefusedAsDataIsDeadLetteredAndTheOthersAreStoredInOrder() throws Exception {
        String a = UUID.randomUUID().toString();
        String poison = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        add(0, event(a));
        add(1, event(poison));
        add(2, event(b));
        int[] poisonAttempts = {0};
        log.behaviour = batch -> {
            if (batch.stream().anyMatch(e -> e.record().getEventId().equals(poison))) {
                if (batch.size() == 1) {
                    poisonAttempts[0]++;
                }
                throw new RecordRejectedException("SQLState 22001: value too long for type character varying(700)", null);
            }
            return log.store(batch);
        };

        loop().pollOnce();
        assertThat(log.stored).containsExactly(a, b);
        assertThat(poisonAttempts[0]).isEqualTo(3);
        assertThat(deadLetters).containsExactly("1 " + poison + " SQLState 22001: value too long for type character varying(700)");
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(health.deadLetters(IngestMetrics.REFUSED)).isEqualTo(1);
        assertThat(health.deadLetters(IngestMetrics.UNDECODABLE)).isZero();
        assertThat(health.recordsStored()).isEqualTo(2);
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAndTheRestStored() throws Exception {
        String a = UUID.randomUUID().toString();
        add(0, new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
        add(1, event("not-a-uuid"));
        add(2, event(a));
        log.behaviour = log::store;

        loop().pollOnce();
        assertThat(log.stored).containsExactly(a);
        assertThat(deadLetters).hasSize(2);
        assertThat(deadLetters.get(0)).startsWith("0 null undecodable");
        assertThat(deadLetters.get(1)).startsWith("1 null undecodable: the event id is not a UUID");
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(health.deadLetters(IngestMetrics.UNDECODABLE)).isEqualTo(2);
        assertThat(health.deadLetters(IngestMetrics.REFUSED)).isZero();
    }

    @Test
    void anUnavailableDeadLetterTopicIsRetriedBeforeTheCommit() throws Exception {
        add(0, new byte[] {(byte) 0xff});
        int[] calls = {0};
        DeadLetters flaky = (source, eventId, reason) -> {
            if (++calls[0] < 3) {
                throw new DeadLetters.DeadLetterUnavailableException("broker down", null);
            }
            deadLetters.add(reason);
        };
        new IngestLoop(consumer, log, flaky, health, InstantSource.fixed(NOW),
                new IngestLoop.Settings(Duration.ofMillis(1), 3, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), STORE_THREADS),
                () -> running).pollOnce();
        assertThat(calls[0]).isEqualTo(3);
        assertThat(deadLetters).hasSize(1);
        assertThat(committed().offset()).isEqualTo(1);
    }

    @Test
    void eachPollRecordsTheTimeAndTheLag() throws Exception {
        consumer.updateEndOffsets(Map.of(TP, 5L));
        add(0, event(UUID.randomUUID().toString()));
        log.behaviour = log::store;
        loop().pollOnce();
        assertThat(health.snapshot().lastPoll()).isEqualTo(NOW);
        assertThat(health.snapshot().lagByPartition()).containsKey("sts.session-events.v1-0");
    }

    @Test
    void eachPartitionOfAPollIsStoredByItsOwnWorkerAtTheSameTimeAndCommittedOnceAllAreStored() throws Exception {
        TopicPartition other = new TopicPartition(TP.topic(), 1);
        consumer.assign(List.of(TP, other));
        consumer.updateBeginningOffsets(Map.of(TP, 0L, other, 0L));
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        add(0, event(a));
        add(1, event(b));
        consumer.addRecord(new ConsumerRecord<>(other.topic(), other.partition(), 0, "key", event(c)));
        CyclicBarrier both = new CyclicBarrier(2);
        List<List<String>> appends = new CopyOnWriteArrayList<>();
        log.behaviour = batch -> {
            appends.add(batch.stream().map(e -> e.record().getEventId()).toList());
            try {
                both.await(10, TimeUnit.SECONDS); // neither append returns before the other started
            } catch (Exception e) {
                throw new AssertionError("the partitions were not stored at the same time", e);
            }
            synchronized (log) {
                return log.store(batch);
            }
        };

        loop().pollOnce();
        assertThat(appends).as("one append per partition, in Kafka order").containsExactlyInAnyOrder(List.of(a, b), List.of(c));
        assertThat(consumer.committed(Set.of(TP, other))).containsEntry(TP, new OffsetAndMetadata(2))
                .containsEntry(other, new OffsetAndMetadata(1));
    }

    @Test
    void aPartitionThatIsNotStoredHoldsBackTheCommitOfEveryPartitionOfThePoll() {
        TopicPartition other = new TopicPartition(TP.topic(), 1);
        consumer.assign(List.of(TP, other));
        consumer.updateBeginningOffsets(Map.of(TP, 0L, other, 0L));
        String stored = UUID.randomUUID().toString();
        String blocked = UUID.randomUUID().toString();
        add(0, event(stored));
        consumer.addRecord(new ConsumerRecord<>(other.topic(), other.partition(), 0, "key", event(blocked)));
        log.behaviour = batch -> {
            if (batch.get(0).record().getEventId().equals(blocked)) {
                running = false;
                throw new AuditStoreUnavailableException("SQLState 08006: connection failure", null);
            }
            synchronized (log) {
                return log.store(batch);
            }
        };

        assertThatThrownBy(() -> loop().pollOnce()).isInstanceOf(IngestLoop.StoppedException.class);
        assertThat(consumer.committed(Set.of(TP, other))).as("nothing committed, the stored partition included").isEmpty();
        assertThat(consumer.paused()).as("resumed for the next consumer").isEmpty();
    }

    /** Stores in memory; each test decides how appends behave. */
    static final class FakeLog implements AuditLog {
        final List<String> stored = new ArrayList<>();
        Function<List<AuditEntry>, Integer> behaviour = this::store;

        int store(List<AuditEntry> batch) {
            batch.forEach(e -> stored.add(e.record().getEventId()));
            return batch.size();
        }

        @Override
        public int append(List<AuditEntry> entries) {
            return behaviour.apply(entries);
        }

        @Override
        public List<StoredRecord> lookup(AuditQuery query, Cursor after, int limit) {
            return List.of();
        }

        @Override
        public Optional<StoredRecord> get(UUID eventId) {
            return Optional.empty();
        }
    }
}
