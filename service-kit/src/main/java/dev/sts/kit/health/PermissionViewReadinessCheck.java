package dev.sts.kit.health;

import dev.sts.kit.iam.KafkaPermissionView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code permission-view}: DOWN until the view has read {@code sts.permission-state.v1}
 * to the end offsets it found at start. Before that a role may be held in an older state than its
 * current one, so the service would refuse every session caller; a replica is not put behind the
 * Service until it can answer them. Once caught up it stays UP while the broker is away: the view
 * keeps answering from memory and the data shows the consumer reconnecting.
 *
 * <p>Data: the consumer's state, records applied, tombstones, records skipped, the lag, roles and
 * customer-managed policies held, roles whose documents do not parse, consumer failures.
 */
@Readiness
@ApplicationScoped
public class PermissionViewReadinessCheck implements HealthCheck {
    private final KafkaPermissionView view;

    public PermissionViewReadinessCheck(KafkaPermissionView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaPermissionView.Stats s = view.stats();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("permission-view");
        if (!s.enabled()) {
            return b.up().withData("enabled", false).build();
        }
        b.status(s.caughtUp())
                .withData("state", s.consumerState())
                .withData("recordsApplied", s.recordsApplied())
                .withData("tombstones", s.tombstones())
                .withData("recordsSkipped", s.skippedTotal())
                .withData("lag", s.lag())
                .withData("roles", s.roles())
                .withData("customerManagedPolicies", s.customerManagedPolicies())
                .withData("unusableRoles", s.unusableRoles())
                .withData("consumerFailures", s.consumerFailures());
        s.recordsSkipped().forEach((reason, n) -> {
            if (n > 0) {
                b.withData("skipped." + reason, n);
            }
        });
        if (s.caughtUpAt() != null && s.startedAt() != null) {
            b.withData("caughtUpAfterMillis", java.time.Duration.between(s.startedAt(), s.caughtUpAt()).toMillis());
        }
        return b.build();
    }
}
