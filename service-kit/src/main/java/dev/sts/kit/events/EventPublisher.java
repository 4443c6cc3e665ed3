package dev.sts.kit.events;

import com.google.protobuf.MessageLite;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes events durably: an idempotent producer with {@code acks=all}, and a returned
 * {@link Uni} that completes only when the broker has acknowledged the record. Callers fail closed
 * on its failure, which is always {@code ServiceUnavailable} "the event log is unavailable: ...".
 *
 * <p>Bounded, and no wait on the event loop (docs/adr/003-broker-outage.md, docs/adr/032):
 * <ul>
 * <li>{@code KafkaProducer.send} waits only for topic metadata it lacks and for buffer space, and
 * the producer's {@code max.block.ms} is 0: such a send fails at once instead of waiting. So a send
 * is first tried on the caller's thread, an event loop included, where it only appends to the
 * producer's buffer (the common case: one thread hop fewer per request). A send that would have
 * had to wait goes to one dedicated sender thread with a bounded queue, which tries again until
 * the publish timeout: only that thread ever waits (a guard refuses a wait on an event loop,
 * loudly).</li>
 * <li>The caller waits at most {@code sts.events.publish-timeout} (default 1 s) for the
 * acknowledgement, whether the broker is down (connection refused) or paused (no answer). A send
 * whose caller gave up before it left the queue is dropped, so an outage does not build a backlog.</li>
 * <li>Results resume on the caller's Vert.x context, where reactive sessions and gRPC calls must
 * stay, and feed {@link EventLogAvailability}.</li>
 * </ul>
 * The producer reconnects by itself ({@code reconnect.backoff.max.ms}), so publishing resumes
 * when the broker returns without a restart.
 *
 * <p>A plain Kafka producer rather than a messaging channel: the caller needs the broker's
 * acknowledgement of this one record before answering, and a bounded wait for it.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    /** The name of the sender thread; the only thread that waits for metadata or buffer space. */
    public static final String SENDER_THREAD = "sts-events-sender";
    /** How often the sender thread tries again a send that had to wait. */
    static final Duration RETRY_PERIOD = Duration.ofMillis(10);

    private final Producer<String, byte[]> producer;
    private final EventLogAvailability availability;
    private final Duration publishTimeout;
    private final ThreadPoolExecutor sender;
    private final AtomicLong eventLoopSendAttempts = new AtomicLong();
    private final Set<String> sendingThreads = ConcurrentHashMap.newKeySet();
    private final Set<String> waitingThreads = ConcurrentHashMap.newKeySet();

    @Inject
    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, EventsConfig config,
            EventLogAvailability availability) {
        this(new KafkaProducer<>(producerProperties(bootstrapServers, config), new StringSerializer(),
                new ByteArraySerializer()), config, availability);
    }

    /** For tests: any producer (e.g. Kafka's {@code MockProducer}). */
    EventPublisher(Producer<String, byte[]> producer, EventsConfig config, EventLogAvailability availability) {
        this.producer = producer;
        this.availability = availability;
        this.publishTimeout = config.publishTimeout();
        // One thread keeps the order of sends (and so of records per key); send is fast while the
        // broker answers, and while it does not, more threads would only block in parallel.
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.sendQueueCapacity())), r -> {
                    Thread t = new Thread(r, SENDER_THREAD);
                    t.setDaemon(true);
                    return t;
                });
    }

    static Properties producerProperties(String bootstrapServers, EventsConfig config) {
        long delivery = config.deliveryTimeout().toMillis();
        long request = Math.min(delivery, 5000);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(delivery, request)));
        // send() never waits: without metadata or buffer space it fails at once (TimeoutException),
        // and the sender thread tries again until the publish timeout (docs/adr/032).
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sts-events");
        return p;
    }

    /** Sends one event and completes with its metadata once the broker has stored it on all in-sync replicas. */
    public Uni<RecordMetadata> publish(String topic, String key, MessageLite event) {
        return publish(topic, key, event.toByteArray());
    }

    /**
     * Sends one already-serialized event (an outbox row), with the same guarantee. A {@code null}
     * event is sent as a record without a value: on a compacted topic, the tombstone that deletes
     * the key.
     */
    public Uni<RecordMetadata> publish(String topic, String key, byte[] event) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Send send = new Send(new ProducerRecord<>(topic, key, event), System.nanoTime() + publishTimeout.toNanos());
            if (!send.appendWithoutWaiting()) {
                try {
                    sender.execute(send);
                } catch (RejectedExecutionException e) {
                    availability.unavailable("the send queue is full");
                    return resumeOn(Uni.createFrom().failure(
                            StsException.unavailable("the event log is unavailable: too many events waiting to be sent", e)), context);
                }
            }
            Uni<RecordMetadata> acknowledged = Uni.createFrom().completionStage(send.result)
                    .ifNoItem().after(publishTimeout).failWith(() -> new PublishTimeout(publishTimeout))
                    .onItem().invoke(m -> availability.available())
                    .onFailure().transform(this::failed)
                    .onTermination().invoke((m, failure, cancelled) -> {
                        if (failure != null || cancelled) {
                            send.abandon();
                        }
                    });
            return resumeOn(acknowledged, context);
        });
    }

    private Throwable failed(Throwable e) {
        if (e instanceof PublishTimeout || e instanceof RetriableException
                || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            availability.unavailable(EventLogAvailability.describe(e));
        }
        if (e instanceof StsException) {
            return e;
        }
        String why = e instanceof PublishTimeout ? e.getMessage() : "the broker did not store the event";
        return StsException.unavailable("the event log is unavailable: " + why, e);
    }

    /** Continues {@code uni} on the Vert.x context it was subscribed from, if any. */
    static <T> Uni<T> resumeOn(Uni<T> uni, Context context) {
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /**
     * Fails when called on a Vert.x event-loop thread: waiting there (for metadata or buffer space)
     * stops every request the loop serves. Counted and logged at ERROR, so a test or an operator sees it.
     */
    void requireOffEventLoop() {
        if (Context.isOnEventLoopThread()) {
            eventLoopSendAttempts.incrementAndGet();
            IllegalStateException e = new IllegalStateException(
                    "a wait for the Kafka producer attempted on Vert.x event-loop thread " + Thread.currentThread().getName());
            LOG.error("refused to wait for the Kafka producer on a Vert.x event-loop thread: it would block every call that loop serves", e);
            throw e;
        }
    }

    /** How many waits the guard refused because they were attempted on an event-loop thread (0 unless a bug). */
    public long eventLoopSendAttempts() {
        return eventLoopSendAttempts.get();
    }

    /** The names of the threads that have called {@code KafkaProducer.send} (each without waiting). */
    public Set<String> sendingThreads() {
        return Set.copyOf(sendingThreads);
    }

    /** The names of the threads that have waited to send again (metadata or buffer space missing): the sender thread only. */
    public Set<String> waitingThreads() {
        return Set.copyOf(waitingThreads);
    }

    /**
     * One record on its way: appended to the producer's buffer (on the caller's thread, or on the
     * sender thread once what it lacked is there), then acknowledged or failed.
     */
    private final class Send implements Runnable {
        final ProducerRecord<String, byte[]> record;
        final long deadlineNanos;
        final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        volatile boolean abandoned;

        Send(ProducerRecord<String, byte[]> record, long deadlineNanos) {
            this.record = record;
            this.deadlineNanos = deadlineNanos;
        }

        void abandon() {
            abandoned = true;
        }

        /**
         * One {@code send}, which with {@code max.block.ms=0} never waits. Returns false when the
         * producer could not take the record without waiting (no metadata for the topic yet, or no
         * buffer space): {@code KafkaProducer} then reports a {@code TimeoutException} to the
         * callback on this thread, before {@code send} returns; the record was not sent and may be
         * tried again. Any other outcome completes {@link #result}, now or when the broker answers.
         */
        boolean appendWithoutWaiting() {
            Attempt attempt = new Attempt(Thread.currentThread());
            try {
                sendingThreads.add(Thread.currentThread().getName());
                producer.send(record, attempt);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return false; // KafkaProducer reports it to the callback; thrown, nothing was taken either
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
            return attempt.sendReturned();
        }

        /**
         * The callback of one {@code send}: tells a failure to append without waiting from the
         * record's outcome. Its two fields are read and written on the calling thread only (a
         * callback on any other thread is the record's outcome), so they need no lock.
         */
        private final class Attempt implements Callback {
            private final Thread caller;
            private boolean returned;
            private boolean mustWait;

            Attempt(Thread caller) {
                this.caller = caller;
            }

            @Override
            public void onCompletion(RecordMetadata metadata, Exception error) {
                if (Thread.currentThread() == caller && !returned && error instanceof org.apache.kafka.common.errors.TimeoutException) {
                    mustWait = true;
                    return;
                }
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            }

            /** Called once {@code send} returned: true if the record was taken (or failed for good). */
            boolean sendReturned() {
                returned = true;
                return !mustWait;
            }
        }

        /** On the sender thread: tries again, every {@link #RETRY_PERIOD}, until sent, abandoned or past the publish timeout. */
        @Override
        public void run() {
            try {
                requireOffEventLoop();
                while (true) {
                    if (abandoned) {
                        // The caller already answered; sending now would only queue more behind an outage.
                        result.completeExceptionally(new CancellationException("abandoned before it was sent"));
                        return;
                    }
                    if (appendWithoutWaiting()) {
                        return;
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        result.completeExceptionally(new org.apache.kafka.common.errors.TimeoutException(
                                "no metadata or buffer space for topic " + record.topic() + " within the publish timeout"));
                        return;
                    }
                    waitingThreads.add(Thread.currentThread().getName());
                    Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), RETRY_PERIOD.toMillis())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(new CancellationException("the publisher is closing"));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** The caller's wait for the acknowledgement ended. */
    static final class PublishTimeout extends RuntimeException {
        PublishTimeout(Duration timeout) {
            super("no acknowledgement within " + timeout.toMillis() + " ms", null, false, false);
        }
    }

    @PreDestroy
    void close() {
        sender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
