package dev.sts.kit.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.InstantSource;

/**
 * The clock every bean takes by injection: the system clock, unless a service or a test supplies
 * its own {@link InstantSource} (this one is a default bean and steps aside).
 */
@ApplicationScoped
public class SystemClock {
    @Produces
    @DefaultBean
    @ApplicationScoped
    InstantSource instantSource() {
        return InstantSource.system();
    }
}
