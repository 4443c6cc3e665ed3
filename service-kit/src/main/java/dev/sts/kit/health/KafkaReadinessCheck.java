package dev.sts.kit.health;

import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventLogAvailability.Observation;
import dev.sts.kit.events.EventLogAvailability.State;
import dev.sts.kit.events.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows the event log's state in readiness ({@code event-log}: available, unavailable or unknown,
 * since when, and why) without waiting for the broker: it answers from the last observation and,
 * when that is stale, starts a probe whose result the next check shows. A health check that waited
 * for an unreachable broker would itself stop answering.
 *
 * <p>Readiness stays UP while only the event log is down (unless
 * {@code sts.events.readiness-requires-event-log}): every replica shares the broker, so taking them
 * all out of the Service would stop reads too, which keep working; writes and AssumeRole answer
 * {@code ServiceUnavailable} themselves (docs/adr/003-broker-outage.md).
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
    private final EventLogAvailability availability;
    private final boolean required;

    public KafkaReadinessCheck(EventLogAvailability availability, EventsConfig config) {
        this.availability = availability;
        this.required = config.readinessRequiresEventLog();
    }

    @Override
    public HealthCheckResponse call() {
        Observation o = availability.current();
        if (!availability.isFresh(o)) {
            availability.probe();
        }
        HealthCheckResponseBuilder b = HealthCheckResponse.named("event-log")
                .status(!required || o.state() == State.AVAILABLE)
                .withData("state", o.state().name().toLowerCase(Locale.ROOT))
                .withData("since", o.since().toString())
                .withData("observed", o.at().toString());
        if (o.reason() != null) {
            b.withData("reason", o.reason());
        }
        return b.build();
    }
}
