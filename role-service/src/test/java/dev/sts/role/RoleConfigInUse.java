package dev.sts.role;

import dev.sts.role.config.RoleConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Quarkus registers a {@code @ConfigMapping} only where it is injected. Until the outbox relay
 * reads {@link RoleConfig} (it still reads {@code ${sts.role.outbox-interval}}), this test bean
 * keeps the mapping registered so that the tests' sts.role.* keys pass unknown-key validation.
 */
@ApplicationScoped
class RoleConfigInUse {
    final RoleConfig config;

    RoleConfigInUse(RoleConfig config) {
        this.config = config;
    }
}
