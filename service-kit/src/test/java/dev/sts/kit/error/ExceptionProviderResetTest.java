package dev.sts.kit.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.grpc.ExceptionHandlerProvider;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class ExceptionProviderResetTest {

    @Test
    void clearsTheProviderQuarkusCachedForTheFirstApplication() throws Exception {
        Field cache = Class.forName(ExceptionProviderReset.STUBS_CLASS)
                .getDeclaredField(ExceptionProviderReset.CACHE_FIELD);
        cache.setAccessible(true);
        cache.set(null, new StsExceptionHandlerProvider());

        assertThat(ExceptionProviderReset.reset()).isTrue();

        assertThat((ExceptionHandlerProvider) cache.get(null)).isNull();
    }
}
