package dev.sts.kit.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.InstantSource;

/**
 * The system clock as an injectable {@link InstantSource}, so classes that need the time take it
 * as a constructor argument and tests hand them a fake one. A default bean: a service (or a test)
 * that produces its own {@code InstantSource} replaces it without an ambiguity.
 */
@Singleton
public class DefaultClock {
    @Produces
    @DefaultBean
    @Singleton
    InstantSource systemClock() {
        return InstantSource.system();
    }
}
