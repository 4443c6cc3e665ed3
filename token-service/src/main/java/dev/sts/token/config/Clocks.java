package dev.sts.token.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.InstantSource;

/**
 * The clock every time-dependent decision reads (session expiry, key windows, rotation), as one
 * bean so that tests can replace it with a fake one instead of sleeping.
 */
@ApplicationScoped
public class Clocks {
    @Produces
    @ApplicationScoped
    @DefaultBean
    InstantSource instantSource() {
        return InstantSource.system();
    }
}
