package dev.sts.kit.error;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * Makes every start of the application map failures with its own {@link StsExceptionHandlerProvider}.
 *
 * <p>Quarkus' Mutiny server stubs ({@code io.quarkus.grpc.stubs.ServerCalls}, 3.33) look the
 * {@code ExceptionHandlerProvider} up once and keep it in a static field of a class that outlives
 * an application restart inside one JVM. A second application in that JVM (a test class with
 * another profile) would map its failures with the first application's provider, whose
 * {@code StsException} is another class: every error would read {@code INTERNAL}. In a deployed
 * service the field is still empty at start-up and this is a no-op. If the field disappears in a
 * later Quarkus, there is nothing to reset and start-up goes on.
 */
@ApplicationScoped
public class ExceptionProviderReset {
    private static final Logger LOG = Logger.getLogger(ExceptionProviderReset.class);
    static final String STUBS_CLASS = "io.quarkus.grpc.stubs.ServerCalls";
    static final String CACHE_FIELD = "ehp";

    void onStart(@Observes StartupEvent event) {
        reset();
    }

    /** Clears the cached provider; returns whether there was a field to clear. */
    static boolean reset() {
        try {
            Field cache = Class.forName(STUBS_CLASS).getDeclaredField(CACHE_FIELD);
            cache.setAccessible(true);
            cache.set(null, null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("no cached gRPC exception handler provider to reset: %s", e.toString());
            return false;
        }
    }
}
