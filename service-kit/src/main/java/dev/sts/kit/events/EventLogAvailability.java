package dev.sts.kit.events;

import dev.sts.kit.error.StsException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What this service currently knows about the event log (the Kafka cluster): fed by every
 * publish result and by a cheap probe (one {@code DescribeCluster} round trip bounded by
 * {@code sts.events.publish-timeout}), never by a blocking call.
 *
 * <p>It serves two readers. Health shows the state. Writers that commit through an outbox, and so
 * would otherwise succeed while the event log is down, consult {@link #requireAvailable()} first
 * and answer {@code ServiceUnavailable} within the publish timeout instead (docs/adr/003).
 */
@ApplicationScoped
public class EventLogAvailability {
    private static final Logger LOG = Logger.getLogger(EventLogAvailability.class);

    public enum State {
        UNKNOWN, AVAILABLE, UNAVAILABLE
    }

    /**
     * @param reason why it is unavailable (operator-facing: health and logs), or null
     * @param at when this was last observed
     * @param since when the state last changed
     */
    public record Observation(State state, String reason, Instant at, Instant since) {
    }

    private final InstantSource clock;
    private final Duration maxAge;
    private final Duration probeTimeout;
    private final Function<Duration, CompletionStage<?>> probe;
    private final Admin admin;
    private final AtomicReference<Observation> last;
    private final AtomicReference<CompletableFuture<Observation>> inFlight = new AtomicReference<>();

    @Inject
    public EventLogAvailability(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EventsConfig config, InstantSource clock) {
        this(config, clock, admin(bootstrapServers, config.publishTimeout()));
    }

    private EventLogAvailability(EventsConfig config, InstantSource clock, Admin admin) {
        this(config, clock, timeout -> admin.describeCluster(new DescribeClusterOptions()
                .timeoutMs((int) Math.max(1, timeout.toMillis()))).clusterId().toCompletionStage(), admin);
    }

    /** For tests: {@code probe} is one round trip to the event log, given its timeout. */
    EventLogAvailability(EventsConfig config, InstantSource clock, Function<Duration, CompletionStage<?>> probe) {
        this(config, clock, probe, null);
    }

    private EventLogAvailability(EventsConfig config, InstantSource clock, Function<Duration, CompletionStage<?>> probe,
            Admin admin) {
        this.clock = clock;
        this.maxAge = config.availabilityMaxAge();
        this.probeTimeout = config.publishTimeout();
        this.probe = probe;
        this.admin = admin;
        Instant now = clock.instant();
        this.last = new AtomicReference<>(new Observation(State.UNKNOWN, null, now, now));
    }

    private static Admin admin(String bootstrapServers, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int ms = (int) Math.max(1, timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sts-event-log-probe");
        return Admin.create(p);
    }

    /**
     * Probes once at start: the first write then finds a connected client and a known state
     * rather than paying for the connection inside its bounded wait.
     */
    void onStart(@Observes StartupEvent start) {
        probe();
    }

    /** The broker acknowledged something (a publish or a probe). */
    public void available() {
        observe(State.AVAILABLE, null);
    }

    /** A publish or probe failed because the event log could not be reached or did not answer in time. */
    public void unavailable(String reason) {
        observe(State.UNAVAILABLE, reason);
    }

    private void observe(State state, String reason) {
        Instant now = clock.instant();
        Observation before = last.getAndUpdate(prev -> new Observation(state, reason, now,
                prev.state() == state ? prev.since() : now));
        if (before.state() != state) {
            if (state == State.UNAVAILABLE) {
                LOG.warnf("the event log is unavailable: %s", reason);
            } else if (before.state() == State.UNAVAILABLE) {
                LOG.infof("the event log is available again (unavailable since %s)", before.since());
            }
        }
    }

    public Observation current() {
        return last.get();
    }

    /** An observation recent enough to decide on without asking the broker again. */
    public boolean isFresh(Observation o) {
        return o.state() != State.UNKNOWN && o.at().plus(maxAge).isAfter(clock.instant());
    }

    /**
     * Asks the broker, unless a probe is already under way (then that one's result). The stage
     * completes with the new observation within about the publish timeout, never exceptionally,
     * on a Kafka client thread.
     */
    public CompletionStage<Observation> probe() {
        CompletableFuture<Observation> mine = new CompletableFuture<>();
        CompletableFuture<Observation> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<Object> answer = new CompletableFuture<>();
        try {
            probe.apply(probeTimeout).whenComplete((ok, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(ok);
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        answer.orTimeout(probeTimeout.toMillis() + 250, TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
            if (error == null) {
                available();
            } else {
                unavailable("no answer to a metadata request: " + describe(error));
            }
            inFlight.set(null);
            mine.complete(current());
        });
        return mine;
    }

    /**
     * The gate of writes that commit through an outbox: completes when the event log is believed
     * available (a fresh observation, or a probe that just succeeded), fails with
     * {@code ServiceUnavailable} "the event log is unavailable" otherwise. Never blocks; resumes on
     * the caller's Vert.x context.
     */
    public Uni<Void> requireAvailable() {
        return Uni.createFrom().deferred(() -> {
            Observation o = current();
            if (isFresh(o)) {
                return verdict(o);
            }
            Context context = Vertx.currentContext();
            return EventPublisher.resumeOn(Uni.createFrom().completionStage(probe()), context).flatMap(this::verdict);
        });
    }

    private Uni<Void> verdict(Observation o) {
        if (o.state() == State.AVAILABLE) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().failure(StsException.unavailable(
                "the event log is unavailable: changes cannot be recorded, try again later", null));
    }

    /** A short, safe description of a failure: its type and message, without a stack. */
    static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        String name = c.getClass().getSimpleName();
        return c.getMessage() == null ? name : name + ": " + c.getMessage();
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
