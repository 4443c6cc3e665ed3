package dev.sts.kit.health;

import dev.sts.kit.events.CompactedTopicReader;
import dev.sts.kit.revocation.RevocationView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code revocations}: DOWN until the revocation view has read {@code sts.revocations.v1}
 * to the end offsets it found at start. Before that a revoked session could not be told from a
 * valid one, so every session is refused; a new replica is not put behind the Service until it
 * knows every revocation in force. Once caught up it stays UP while the broker is away.
 */
@Readiness
@ApplicationScoped
public class RevocationsReadinessCheck implements HealthCheck {
    private final RevocationView view;

    public RevocationsReadinessCheck(RevocationView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("revocations");
        if (!view.enabled()) {
            return b.up().withData("enabled", false).build();
        }
        CompactedTopicReader.Stats s = view.stats();
        b.status(s.caughtUp())
                .withData("state", s.consumerState())
                .withData("rulesInForce", view.rulesInForce())
                .withData("recordsApplied", s.recordsApplied())
                .withData("tombstones", s.tombstones())
                .withData("recordsSkipped", s.skippedTotal())
                .withData("lag", s.lag())
                .withData("consumerFailures", s.consumerFailures());
        s.recordsSkipped().forEach((reason, n) -> b.withData("skipped." + reason, n));
        return b.build();
    }
}
