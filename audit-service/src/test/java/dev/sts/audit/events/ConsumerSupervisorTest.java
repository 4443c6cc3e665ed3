package dev.sts.audit.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refused commit, an interrupt or a failing consumer never ends ingestion: after an interrupt or
 * a failing consumer the supervisor replaces the consumer, which gets the uncommitted poll again. Runs on the test thread; each
 * scripted consumer says what happens, the last one stops the supervisor.
 */
class ConsumerSupervisorTest {

    /** A test that interrupts its own thread must not leave the flag for the tests (and the shutdown) after it. */
    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }
    static final TopicPartition TP = IngestLoopTest.TP;

    final IngestLoopTest.FakeLog log = new IngestLoopTest.FakeLog();
    final IngestionHealth health = new IngestionHealth();
    final AtomicReference<ConsumerSupervisor> supervisor = new AtomicReference<>();
    final List<String> problems = new ArrayList<>();
    final String eventId = UUID.randomUUID().toString();

    /** A consumer that is assigned {@link #TP} with one event on its first poll. */
    class Scripted extends MockConsumer<String, byte[]> {
        final Runnable onCommit;
        volatile Map<TopicPartition, OffsetAndMetadata> committedOffsets;

        Scripted(Runnable onCommit) {
            super("earliest");
            this.onCommit = onCommit;
            schedulePollTask(() -> {
                updateBeginningOffsets(Map.of(TP, 0L));
                rebalance(List.of(TP));
                addRecord(new ConsumerRecord<>(TP.topic(), TP.partition(), 0, "key", IngestLoopTest.event(eventId)));
            });
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            try {
                onCommit.run();
            } catch (CommitFailedException e) {
                callback.onComplete(offsets, e); // the broker's refusal, reported as a real consumer reports it
                return;
            }
            super.commitAsync(offsets, callback);
            committedOffsets = Map.copyOf(offsets); // committed() is not readable once the supervisor closed it
        }
    }

    ConsumerSupervisor supervisor(List<Supplier<Consumer<String, byte[]>>> script) {
        List<Supplier<Consumer<String, byte[]>>> remaining = new ArrayList<>(script);
        DeadLetters none = (source, id, reason) -> {
            throw new AssertionError("nothing is dead-lettered here");
        };
        ConsumerSupervisor s = new ConsumerSupervisor(() -> remaining.remove(0).get(), List.of(TP.topic()), log, none,
                new IngestionHealth() {
                    @Override
                    void consumerFailed(String problem) {
                        problems.add(problem);
                        health.consumerFailed(problem);
                    }
                }, InstantSource.system(),
                new IngestLoop.Settings(Duration.ofMillis(1), 3, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)),
                        IngestLoopTest.STORE_THREADS));
        supervisor.set(s);
        return s;
    }

    @Test
    void aRefusedCommitStopsNothingAndTheNextCommitCoversItsRecords() {
        // Offsets are committed asynchronously (ADR 033): a refusal reaches the callback, the consumer
        // goes on, and the next poll's commit covers the records of both polls. Had the consumer lost
        // the partition, its next owner would get them again, and the store skip them by event id.
        String second = UUID.randomUUID().toString();
        int[] commits = {0};
        Scripted[] only = new Scripted[1];
        only[0] = new Scripted(() -> {
            if (commits[0]++ == 0) {
                only[0].schedulePollTask(() -> only[0].addRecord(
                        new ConsumerRecord<>(TP.topic(), TP.partition(), 1, "key", IngestLoopTest.event(second))));
                throw new CommitFailedException();
            }
            supervisor.get().stop();
        });
        supervisor(List.of(() -> only[0])).run();

        assertThat(log.stored).containsExactly(eventId, second);
        assertThat(only[0].committedOffsets.get(TP).offset()).isEqualTo(2);
        assertThat(problems).as("the consumer was not replaced").isEmpty();
    }

    @Test
    void anInterruptCommitsNothingAndTheNextConsumerStoresThePoll() {
        Scripted first = new Scripted(() -> {
            throw new AssertionError("an interrupted poll must not be committed");
        });
        int[] calls = {0};
        log.behaviour = batch -> {
            if (calls[0]++ == 0) {
                Thread.currentThread().interrupt();
                throw new dev.sts.audit.domain.AuditStoreUnavailableException("SQLState 08006: connection failure", null);
            }
            return log.store(batch);
        };
        Scripted last = new Scripted(() -> supervisor.get().stop());
        supervisor(List.of(() -> first, () -> last)).run();

        assertThat(first.committedOffsets).isNull();
        assertThat(log.stored).containsExactly(eventId);
        assertThat(last.committedOffsets.get(TP).offset()).isEqualTo(1);
        assertThat(problems).singleElement().asString().contains("interrupted");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aFailingConsumerIsReplaced() {
        Scripted broken = new Scripted(() -> {
        });
        broken.setPollException(new KafkaException("broker said no"));
        Scripted last = new Scripted(() -> supervisor.get().stop());
        supervisor(List.of(() -> broken, () -> last)).run();

        assertThat(log.stored).containsExactly(eventId);
        assertThat(problems).singleElement().asString().contains("KafkaException");
    }
}
