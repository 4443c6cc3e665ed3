package dev.sts.audit.events;

import dev.sts.audit.config.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while events reach the log: the consumer thread runs, has polled recently, and the
 * store takes what it is given. The lag (total and per partition) is in the data, so a trail that
 * falls behind shows before it stops.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
    static final String NAME = "audit-consumer";
    private final IngestionHealth health;
    private final InstantSource clock;
    private final Duration maxSilence;

    public ConsumerReadiness(IngestionHealth health, InstantSource clock, AuditConfig config) {
        this.health = health;
        this.clock = clock;
        this.maxSilence = config.consumer().maxPollSilence();
    }

    @Override
    public HealthCheckResponse call() {
        IngestionHealth.Snapshot s = health.snapshot();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).withData("lag", s.totalLag());
        for (Map.Entry<String, Long> e : s.lagByPartition().entrySet()) {
            b.withData("lag." + e.getKey(), e.getValue());
        }
        if (s.lastPoll() != null) {
            b.withData("lastPoll", s.lastPoll().toString());
        }
        String problem = problem(s, clock.instant());
        return problem == null ? b.up().build() : b.down().withData("problem", problem).build();
    }

    private String problem(IngestionHealth.Snapshot s, Instant now) {
        if (!s.running()) {
            return "the consumer thread is not running";
        }
        if (s.storeProblem() != null) {
            return "the audit store is failing: " + s.storeProblem();
        }
        Instant reference = s.lastPoll() != null ? s.lastPoll() : s.startedAt();
        if (reference == null || Duration.between(reference, now).compareTo(maxSilence) > 0) {
            return s.consumerProblem() != null ? s.consumerProblem() : "no poll for longer than " + maxSilence;
        }
        return null;
    }
}
