package dev.sts.system;

import com.google.protobuf.Timestamp;
import dev.sts.kit.events.Topics;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Session events as token-service publishes them ({@code acks=all}, idempotent), straight to the
 * broker, at a steady rate (a scheduler at a fixed rate), so that audit-service is ingesting while a test
 * kills it or its database. Every event names the same role, unique to the stream, so LookupEvents
 * finds exactly the stream's records. Only events the broker acknowledged count as produced.
 */
final class EventStream implements AutoCloseable {
    static final String ACCOUNT = "000000000000";

    final String roleArn;
    private final KafkaProducer<String, byte[]> producer;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    EventStream(int kafkaPort) {
        this.roleArn = "arn:aws:iam::" + ACCOUNT + ":role/Ingest-" + UUID.randomUUID().toString().substring(0, 8);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A SessionIssued event of this stream's role. */
    StsEvent event(String eventId) {
        Instant now = Instant.now();
        String key = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        return StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(eventId)
                        .setEventTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                        .setActor(UserIdentity.newBuilder().setType("AWSService").setArn("ec2.amazonaws.com"))
                        .setRequestId(UUID.randomUUID().toString()).setAccountId(ACCOUNT))
                .setEventName("AssumeRole").setRoleArn(roleArn).setRoleId("AROAINGESTTEST")
                .setAssumedRoleArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/Ingest/s").setRoleSessionName("s")
                .setSessionId(UUID.randomUUID().toString()).setAccessKeyId(key)
                .setIssuedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                .setExpiration(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 900))).build();
    }

    /** Sends raw bytes to the session topic under a key; counts nothing. Waits for the broker. */
    void sendRaw(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, key, value)).get();
    }

    /** Sends one event and waits for the broker; it counts as produced. */
    void send(StsEvent e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, roleArn, e.toByteArray())).get();
        acked.add(e.getSessionIssued().getHeader().getEventId());
    }

    /**
     * Starts producing new events, {@code perTick} every {@code tick}, until {@link #finish()}, and
     * returns. Keys vary so that the events spread over every partition (every chain).
     */
    EventStream start(int perTick, Duration tick) {
        int[] sent = {0};
        scheduler.scheduleAtFixedRate(() -> {
            try {
                for (int i = 0; i < perTick; i++, sent[0]++) {
                    StsEvent e = event(UUID.randomUUID().toString());
                    String id = e.getSessionIssued().getHeader().getEventId();
                    producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, roleArn + "/" + sent[0], e.toByteArray()),
                            (meta, ex) -> {
                                if (ex == null) {
                                    acked.add(id);
                                } else {
                                    failure.compareAndSet(null, ex);
                                }
                            });
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        }, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** How many events the broker has acknowledged so far. */
    int acknowledged() {
        return acked.size();
    }

    /** Stops the stream, waits until everything sent is acknowledged; returns the acknowledged ids. */
    Set<String> finish() throws Exception {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the event stream did not stop");
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("the broker refused an event", failure.get());
        }
        return Set.copyOf(acked);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
