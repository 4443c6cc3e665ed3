package dev.sts.kit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher's bounds with a fake producer: timeouts, off-loop sending, no backlog, the guard. */
class EventPublisherTest {
    static final Duration TIMEOUT = Duration.ofMillis(300);
    final Vertx vertx = Vertx.vertx();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final InstantSource clock = () -> now.get();

    @AfterEach
    void closeVertx() throws Exception {
        Thread.interrupted(); // one test interrupts its own thread
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static EventsConfig config(Duration publishTimeout) {
        return new EventsConfig() {
            @Override
            public Duration publishTimeout() {
                return publishTimeout;
            }

            @Override
            public Duration deliveryTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public int sendQueueCapacity() {
                return 16;
            }

            @Override
            public Duration availabilityMaxAge() {
                return Duration.ofSeconds(1);
            }

            @Override
            public boolean readinessRequiresEventLog() {
                return false;
            }
        };
    }

    EventLogAvailability availability(AtomicInteger probes, boolean probeSucceeds) {
        return new EventLogAvailability(config(TIMEOUT), clock, timeout -> {
            probes.incrementAndGet();
            return probeSucceeds ? CompletableFuture.completedFuture("cluster")
                    : CompletableFuture.failedFuture(new TimeoutException("Timed out waiting for a node assignment"));
        });
    }

    /** A producer that records the thread of each send and lets the test decide when send returns. */
    static final class RecordingProducer extends MockProducer<String, byte[]> {
        final AtomicReference<String> sendThread = new AtomicReference<>();
        volatile CountDownLatch blockSend = new CountDownLatch(0);

        RecordingProducer(boolean autoComplete) {
            super(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            sendThread.set(Thread.currentThread().getName());
            try {
                // as KafkaProducer.send does while it waits for metadata (max.block.ms)
                blockSend.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.send(record, callback);
        }
    }

    @Test
    void sendsOffTheEventLoopAndResumesOnTheCallersContext() throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        Context context = vertx.getOrCreateContext();
        CompletableFuture<String> resumedOn = new CompletableFuture<>();
        context.runOnContext(v -> publisher.publish("t", "k", new byte[] {1}).subscribe().with(
                m -> resumedOn.complete((Vertx.currentContext() == context) + " " + Context.isOnEventLoopThread()),
                resumedOn::completeExceptionally));

        assertThat(resumedOn.get(5, TimeUnit.SECONDS)).isEqualTo("true true");
        assertThat(producer.sendThread.get()).isEqualTo(EventPublisher.SENDER_THREAD);
        assertThat(publisher.sendingThreads()).containsExactly(EventPublisher.SENDER_THREAD);
        assertThat(publisher.eventLoopSendAttempts()).isZero();
    }

    @Test
    void aSendBlockedOnMetadataAnswersServiceUnavailableWithinThePublishTimeoutAndTheLoopStaysFree() throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        producer.blockSend = new CountDownLatch(1);
        EventLogAvailability availability = availability(new AtomicInteger(), true);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Long> loopTick = new CompletableFuture<>();
        long start = System.nanoTime();
        context.runOnContext(v -> {
            publisher.publish("t", "k", new byte[] {1}).subscribe().with(
                    m -> failure.complete(null), failure::complete);
            // the loop serves other work while the send is stuck
            vertx.setTimer(10, id -> loopTick.complete((System.nanoTime() - start) / 1_000_000));
        });
        try {
            assertThat(loopTick.get(5, TimeUnit.SECONDS)).isLessThan(200);
            Throwable t = failure.get(5, TimeUnit.SECONDS);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(t).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                assertThat(e.getMessage()).startsWith("the event log is unavailable: ");
            });
            assertThat(elapsedMs).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1000);
            assertThat(availability.current().state()).isEqualTo(EventLogAvailability.State.UNAVAILABLE);
        } finally {
            producer.blockSend.countDown();
        }
    }

    @Test
    void aNullEventIsSentAsATombstone() {
        RecordingProducer producer = new RecordingProducer(true);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        publisher.publish("t", "deleted-key", (byte[]) null).await().atMost(Duration.ofSeconds(5));
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("deleted-key");
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void aRecordTheBrokerNeverAcknowledgesTimesOut() {
        // a paused broker: send returns, the acknowledgement never comes
        RecordingProducer producer = new RecordingProducer(false);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        long start = System.nanoTime();
        assertThatThrownBy(() -> publisher.publish("t", "k", new byte[] {1}).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("the event log is unavailable: no acknowledgement within 300 ms"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(TIMEOUT.toMillis() + 1000);
    }

    @Test
    void aProducerErrorIsServiceUnavailable() {
        RecordingProducer producer = new RecordingProducer(false);
        EventPublisher publisher = new EventPublisher(producer, config(Duration.ofSeconds(5)), availability(new AtomicInteger(), true));
        var pending = publisher.publish("t", "k", new byte[] {1}).subscribeAsCompletionStage();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !producer.history().isEmpty());
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));
        assertThatThrownBy(() -> pending.toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StsException.class)
                .cause().hasMessage("the event log is unavailable: the broker did not store the event");
    }

    @Test
    void sendsWhoseCallerGaveUpAreDroppedSoAnOutageBuildsNoBacklog() throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        producer.blockSend = new CountDownLatch(1);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        var first = publisher.publish("t", "first", new byte[] {1}).subscribeAsCompletionStage();
        var second = publisher.publish("t", "second", new byte[] {2}).subscribeAsCompletionStage();
        assertThatThrownBy(() -> second.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StsException.class);
        producer.blockSend.countDown();
        assertThatThrownBy(() -> first.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StsException.class);
        // the first was already in send when its caller gave up; the second never reached the producer
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        Thread.sleep(100);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("first");
    }

    @Test
    void theGuardRefusesASendOnAnEventLoopThread() throws Exception {
        EventPublisher publisher = new EventPublisher(new RecordingProducer(true), config(TIMEOUT),
                availability(new AtomicInteger(), true));
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            try {
                publisher.requireOffEventLoop();
                refused.complete(null);
            } catch (IllegalStateException e) {
                refused.complete(e);
            }
        });
        assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event-loop");
        assertThat(publisher.eventLoopSendAttempts()).isEqualTo(1);
    }

    @Test
    void theGateDecidesOnAFreshObservationAndProbesAStaleOne() {
        AtomicInteger probes = new AtomicInteger();
        EventLogAvailability down = availability(probes, false);
        // unknown: probe, which fails
        assertThatThrownBy(() -> down.requireAvailable().await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("the event log is unavailable");
                });
        assertThat(probes).hasValue(1);
        // fresh and unavailable: refused at once, no probe
        assertThatThrownBy(() -> down.requireAvailable().await().atMost(Duration.ofSeconds(5))).isInstanceOf(StsException.class);
        assertThat(probes).hasValue(1);
        // a publish succeeded: allowed without a probe
        down.available();
        down.requireAvailable().await().atMost(Duration.ofSeconds(5));
        assertThat(probes).hasValue(1);
        // stale: probed again
        now.set(now.get().plusSeconds(2));
        assertThatThrownBy(() -> down.requireAvailable().await().atMost(Duration.ofSeconds(5))).isInstanceOf(StsException.class);
        assertThat(probes).hasValue(2);

        EventLogAvailability up = availability(probes, true);
        up.requireAvailable().await().atMost(Duration.ofSeconds(5));
        assertThat(up.current().state()).isEqualTo(EventLogAvailability.State.AVAILABLE);
    }
}
