package dev.sts.audit.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.InstantSource;

/**
 * The one clock of the service, injected wherever time matters so that tests can pass a fixed or
 * stepping one. A default bean: a shared clock bean elsewhere takes precedence.
 */
public class ClockProducer {
    @Produces
    @Singleton
    @DefaultBean
    InstantSource clock() {
        return InstantSource.system();
    }
}
