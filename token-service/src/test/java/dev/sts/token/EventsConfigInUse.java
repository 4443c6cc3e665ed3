package dev.sts.token;

import dev.sts.kit.events.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Quarkus registers a {@code @ConfigMapping} only where it is injected. Until the event publisher
 * reads {@link EventsConfig}, this test bean keeps the mapping registered so that the tests'
 * sts.events.* keys pass unknown-key validation.
 */
@ApplicationScoped
class EventsConfigInUse {
    final EventsConfig config;

    EventsConfigInUse(EventsConfig config) {
        this.config = config;
    }
}
