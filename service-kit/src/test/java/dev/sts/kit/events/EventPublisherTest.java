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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher's bounds with a fake producer: timeouts, no wait on the event loop, no backlog, the guard. */
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

    /**
     * A producer that records the thread of each send. While {@code metadataKnown} is false it
     * answers as {@code KafkaProducer} with {@code max.block.ms=0} does for a topic it has no
     * metadata for: the callback gets a {@code TimeoutException} on the calling thread, before send
     * returns, and nothing is sent.
     */
    static final class RecordingProducer extends MockProducer<String, byte[]> {
        final AtomicReference<String> sendThread = new AtomicReference<>();
        final AtomicInteger refused = new AtomicInteger();
        volatile boolean metadataKnown = true;
        /** Throw the TimeoutException instead of reporting it to the callback. */
        volatile boolean throwWhenRefused;

        RecordingProducer(boolean autoComplete) {
            super(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            sendThread.set(Thread.currentThread().getName());
            if (!metadataKnown) {
                refused.incrementAndGet();
                TimeoutException e = new TimeoutException("Topic " + record.topic() + " not present in metadata after 0 ms.");
                if (throwWhenRefused) {
                    throw e;
                }
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            return super.send(record, callback);
        }
    }

    @Test
    void theProducerNeverWaitsInSend() {
        assertThat(EventPublisher.producerProperties("127.0.0.1:9092", config(TIMEOUT)))
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }

    @Test
    void aSendOnTheEventLoopAppendsThereWithoutWaitingAndResumesOnTheCallersContext() throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        Context context = vertx.getOrCreateContext();
        CompletableFuture<String> resumedOn = new CompletableFuture<>();
        context.runOnContext(v -> publisher.publish("t", "k", new byte[] {1}).subscribe().with(
                m -> resumedOn.complete((Vertx.currentContext() == context) + " " + Context.isOnEventLoopThread()),
                resumedOn::completeExceptionally));

        assertThat(resumedOn.get(5, TimeUnit.SECONDS)).isEqualTo("true true");
        assertThat(producer.sendThread.get()).startsWith("vert.x-eventloop-thread-");
        assertThat(publisher.sendingThreads()).singleElement().asString().startsWith("vert.x-eventloop-thread-");
        assertThat(publisher.waitingThreads()).isEmpty();
        assertThat(publisher.eventLoopSendAttempts()).isZero();
    }

    @Test
    void aSendWithoutMetadataWaitsOnTheSenderThreadAndAnswersServiceUnavailableWithinThePublishTimeout() throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        producer.metadataKnown = false;
        EventLogAvailability availability = availability(new AtomicInteger(), true);
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Long> loopTick = new CompletableFuture<>();
        // the first publish in a JVM loads Mutiny's and Kafka's classes (200+ ms): not a wait of the loop
        publisher.publish("t", "warm-up", new byte[] {0}).subscribe().asCompletionStage().exceptionally(e -> null)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        int warmUpRefusals = producer.refused.get();
        long start = System.nanoTime();
        context.runOnContext(v -> {
            publisher.publish("t", "k", new byte[] {1}).subscribe().with(
                    m -> failure.complete(null), failure::complete);
            // the loop serves other work while the send waits
            vertx.setTimer(10, id -> loopTick.complete((System.nanoTime() - start) / 1_000_000));
        });
        assertThat(loopTick.get(5, TimeUnit.SECONDS)).isLessThan(200);
        Throwable t = failure.get(5, TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(t).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.getMessage()).startsWith("the event log is unavailable: ");
        });
        assertThat(elapsedMs).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1000);
        assertThat(availability.current().state()).isEqualTo(EventLogAvailability.State.UNAVAILABLE);
        // tried once on the loop, then again and again on the sender thread, the only one that waited
        assertThat(producer.refused.get() - warmUpRefusals).isGreaterThan(2);
        assertThat(publisher.sendingThreads()).contains(EventPublisher.SENDER_THREAD)
                .anyMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
        assertThat(publisher.waitingThreads()).containsExactly(EventPublisher.SENDER_THREAD);
        assertThat(publisher.eventLoopSendAttempts()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aSendThatHadToWaitGoesOutOnceTheMetadataArrivesWhetherTheRefusalWasReportedOrThrown() throws Exception {
        aSendThatHadToWaitGoesOutOnceTheMetadataArrives(false);
        aSendThatHadToWaitGoesOutOnceTheMetadataArrives(true);
    }

    void aSendThatHadToWaitGoesOutOnceTheMetadataArrives(boolean thrown) throws Exception {
        RecordingProducer producer = new RecordingProducer(true);
        producer.metadataKnown = false;
        producer.throwWhenRefused = thrown;
        EventPublisher publisher = new EventPublisher(producer, config(Duration.ofSeconds(5)), availability(new AtomicInteger(), true));
        var pending = publisher.publish("t", "k", new byte[] {1}).subscribeAsCompletionStage();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> producer.refused.get() > 2);
        producer.metadataKnown = true;
        assertThat(pending.toCompletableFuture().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("k");
        assertThat(producer.sendThread.get()).isEqualTo(EventPublisher.SENDER_THREAD);
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
        producer.metadataKnown = false;
        EventPublisher publisher = new EventPublisher(producer, config(TIMEOUT), availability(new AtomicInteger(), true));
        var first = publisher.publish("t", "first", new byte[] {1}).subscribeAsCompletionStage();
        var second = publisher.publish("t", "second", new byte[] {2}).subscribeAsCompletionStage();
        assertThatThrownBy(() -> first.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StsException.class);
        assertThatThrownBy(() -> second.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StsException.class);
        // the sender thread tried the first until its caller gave up, and the second only once after that
        Thread.sleep(50); // a retry that began before the caller gave up ends within one retry period
        int refused = producer.refused.get();
        producer.metadataKnown = true;
        Thread.sleep(200);
        assertThat(producer.history()).isEmpty();
        assertThat(producer.refused.get()).isEqualTo(refused);
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
