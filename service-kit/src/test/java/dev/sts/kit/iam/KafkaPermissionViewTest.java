package dev.sts.kit.iam;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static dev.sts.kit.iam.RoleStates.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.kit.events.Topics;
import dev.sts.kit.health.PermissionViewReadinessCheck;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The view's consumer loop with Kafka's MockConsumer: catching up, readiness, skipped records,
 * and surviving a failed consumer. The loop against a real broker is tested in audit-service
 * (PermissionViewFlowTest).
 */
class KafkaPermissionViewTest {
    static final String TOPIC = Topics.PERMISSION_STATE;
    static final Duration WAIT = Duration.ofSeconds(10);

    record TestConfig(boolean enabled, int maxRecordBytes, Duration maxReconnectBackoff, Duration requestTimeout)
            implements PermissionViewConfig {
        static TestConfig of() {
            return new TestConfig(true, 4096, Duration.ofMillis(200), Duration.ofSeconds(1));
        }
    }

    final List<KafkaPermissionView> views = new ArrayList<>();

    @AfterEach
    void stopViews() {
        views.forEach(KafkaPermissionView::stop);
    }

    KafkaPermissionView start(TestConfig config, Supplier<Consumer<String, byte[]>> consumers) {
        KafkaPermissionView view = new KafkaPermissionView(consumers, config, InstantSource.system());
        views.add(view);
        view.start();
        return view;
    }

    /**
     * MockConsumer answers a poll at once; a broker holds an empty fetch for a while. Without the
     * pause the view's loop would spin and starve the other tests of the (two) cores.
     */
    static final class PacedConsumer extends MockConsumer<String, byte[]> {
        PacedConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return records;
        }
    }

    static MockConsumer<String, byte[]> consumer(int partitions, Map<Integer, Long> endOffsets) {
        MockConsumer<String, byte[]> c = new PacedConsumer();
        List<PartitionInfo> infos = new ArrayList<>();
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(TOPIC, p, null, null, null));
            begin.put(new TopicPartition(TOPIC, p), 0L);
            end.put(new TopicPartition(TOPIC, p), endOffsets.getOrDefault(p, 0L));
        }
        c.updatePartitions(TOPIC, infos);
        c.updateBeginningOffsets(begin);
        c.updateEndOffsets(end);
        return c;
    }

    static ConsumerRecord<String, byte[]> record(int partition, long offset, RoleState r) {
        return new ConsumerRecord<>(TOPIC, partition, offset, r.getArn(),
                StsEvent.newBuilder().setRoleState(r).build().toByteArray());
    }

    static HealthCheckResponse readiness(KafkaPermissionView view) {
        return new PermissionViewReadinessCheck(view).call();
    }

    static Object data(HealthCheckResponse r, String key) {
        return r.getData().orElseThrow().get(key);
    }

    @Test
    void notReadyUntilItHasReadToTheEndOffsetsItFoundAtStart() {
        RoleState a = role("A").addInlinePolicies(inline("P", allow("s3:*", "*"))).build();
        RoleState b = role("B").build();
        RoleState c = role("C").build();
        MockConsumer<String, byte[]> consumer = consumer(3, Map.of(0, 2L, 2, 1L));
        consumer.schedulePollTask(() -> consumer.addRecord(record(0, 0, a)));
        KafkaPermissionView view = start(TestConfig.of(), () -> consumer);

        await().atMost(WAIT).until(() -> view.stats().recordsApplied() == 1);
        assertThat(view.role(a.getArn())).contains(a);
        assertThat(view.permissionsOf(a.getArn())).isPresent();
        assertThat(view.caughtUp()).isFalse();
        HealthCheckResponse down = readiness(view);
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(down, "lag")).isEqualTo(2L);
        assertThat(data(down, "recordsApplied")).isEqualTo(1L);
        assertThat(data(down, "state")).isEqualTo("catching up");

        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(0, 1, b));
            consumer.addRecord(record(2, 0, c));
        });
        await().atMost(WAIT).until(view::caughtUp);
        HealthCheckResponse up = readiness(view);
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(up, "recordsApplied")).isEqualTo(3L);
        assertThat(data(up, "roles")).isEqualTo(3L);
        assertThat(data(up, "lag")).isEqualTo(0L);
        assertThat(view.stats().caughtUpAt()).isNotNull();
    }

    @Test
    void anEmptyTopicIsCaughtUpAtOnce() {
        KafkaPermissionView view = start(TestConfig.of(), () -> consumer(3, Map.of()));
        await().atMost(WAIT).until(view::caughtUp);
        assertThat(readiness(view).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void recordsItCannotUseAreSkippedCountedAndNeverStopTheView() {
        RoleState big = role("Big").addInlinePolicies(inline("P", allow("s3:" + "x".repeat(5000), "*"))).build();
        RoleState good = role("Good").build();
        RoleState gone = role("Gone").build();
        MockConsumer<String, byte[]> consumer = consumer(1, Map.of(0, 6L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(0, 0, big));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, good.getArn(), new byte[] {(byte) 0xff, (byte) 0xff, 1}));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "arn:aws:iam::000000000000:role/Other",
                    StsEvent.newBuilder().setRoleState(good).build().toByteArray()));
            consumer.addRecord(record(0, 3, gone));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 4, gone.getArn(), null));
            consumer.addRecord(record(0, 5, good));
        });
        KafkaPermissionView view = start(TestConfig.of(), () -> consumer);

        await().atMost(WAIT).until(view::caughtUp);
        assertThat(view.role(good.getArn())).contains(good);
        assertThat(view.role(big.getArn())).isEmpty();
        assertThat(view.role(gone.getArn())).isEmpty();
        KafkaPermissionView.Stats s = view.stats();
        assertThat(s.recordsApplied()).isEqualTo(2);
        assertThat(s.tombstones()).isEqualTo(1);
        assertThat(s.recordsSkipped()).containsEntry("too-large", 1L).containsEntry("undecodable", 1L)
                .containsEntry("mismatched-key", 1L);
        HealthCheckResponse up = readiness(view);
        assertThat(data(up, "recordsSkipped")).isEqualTo(3L);
        assertThat(data(up, "skipped.too-large")).isEqualTo(1L);
    }

    @Test
    void aFailedConsumerIsReplacedAndReadingResumesAfterTheLastRecordApplied() {
        RoleState v1 = role("Resumed").addInlinePolicies(inline("P", allow("s3:GetObject", "*"))).build();
        RoleState v2 = v1.toBuilder().setRevision(2).clearInlinePolicies()
                .addInlinePolicies(inline("P", allow("s3:PutObject", "*"))).build();
        RoleState neverAgain = role("ReadTwice").build();

        MockConsumer<String, byte[]> first = consumer(1, Map.of(0, 1L));
        first.schedulePollTask(() -> first.addRecord(record(0, 0, v1)));
        first.schedulePollTask(() -> first.setPollException(new KafkaException("broker went away")));
        // The second consumer would hand out offset 0 again (here with another record, to see it).
        MockConsumer<String, byte[]> second = consumer(1, Map.of(0, 2L));
        second.schedulePollTask(() -> {
            second.addRecord(record(0, 0, neverAgain));
            second.addRecord(record(0, 1, v2));
        });
        List<MockConsumer<String, byte[]>> made = List.of(first, second);
        AtomicInteger created = new AtomicInteger();
        KafkaPermissionView view = start(TestConfig.of(), () -> made.get(Math.min(created.getAndIncrement(), 1)));

        await().atMost(WAIT).until(() -> view.permissionsOf(v1.getArn()).map(p -> p.revision() == 2).orElse(false));
        assertThat(view.stats().consumerFailures()).isEqualTo(1);
        assertThat(first.closed()).isTrue();
        assertThat(view.role(neverAgain.getArn())).isEmpty();
        assertThat(view.stats().recordsApplied()).isEqualTo(2);
        assertThat(view.caughtUp()).isTrue();
    }

    @Test
    void aMissingTopicKeepsTheViewNotReadyAndItKeepsTrying() {
        AtomicInteger created = new AtomicInteger();
        KafkaPermissionView view = start(TestConfig.of(), () -> {
            created.incrementAndGet();
            return new PacedConsumer();
        });
        await().atMost(WAIT).until(() -> created.get() >= 3);
        assertThat(view.caughtUp()).isFalse();
        HealthCheckResponse down = readiness(view);
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((Long) data(down, "consumerFailures")).isGreaterThanOrEqualTo(2L);
    }

    @Test
    void aDisabledViewReadsNothingAuthorizesNoSessionAndDoesNotHoldReadinessDown() {
        AtomicInteger created = new AtomicInteger();
        KafkaPermissionView view = start(new TestConfig(false, 4096, Duration.ofMillis(200), Duration.ofSeconds(1)),
                () -> {
                    created.incrementAndGet();
                    return consumer(1, Map.of());
                });
        assertThat(view.caughtUp()).isFalse();
        assertThat(created.get()).isZero();
        HealthCheckResponse r = readiness(view);
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(r, "enabled")).isEqualTo(false);
    }

    @Test
    void stopEndsTheThreadAndClosesTheConsumer() {
        MockConsumer<String, byte[]> consumer = consumer(1, Map.of());
        KafkaPermissionView view = start(TestConfig.of(), () -> consumer);
        await().atMost(WAIT).until(view::caughtUp);
        view.stop();
        assertThat(view.stats().consumerState()).isEqualTo("stopped");
        assertThat(consumer.closed()).isTrue();
    }
}
