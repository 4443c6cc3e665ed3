package dev.sts.role.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start with a setting outside its range, naming the setting, rather than serve with it. */
@ApplicationScoped
public class RoleConfigCheck {
    void check(@Observes StartupEvent start, RoleConfig config) {
        check(config);
    }

    static void check(RoleConfig config) {
        int attached = config.maxAttachedPolicies();
        if (attached < 1 || attached > RoleConfig.MAX_ATTACHED_POLICIES_LIMIT) {
            throw new IllegalStateException("sts.role.max-attached-policies is " + attached + "; it must be 1-"
                    + RoleConfig.MAX_ATTACHED_POLICIES_LIMIT + " (IAM's quota: 10 by default, at most 20)");
        }
        if (config.outboxBatchSize() < 1) {
            throw new IllegalStateException("sts.role.outbox-batch-size is " + config.outboxBatchSize() + "; it must be at least 1");
        }
    }
}
