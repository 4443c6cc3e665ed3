package dev.sts.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How sts.* keys are declared (docs/adr/006): the kit's root mapping {@code sts} and one mapping
 * per area ({@code sts.token}, {@code sts.events}, ...) together are the set of known keys, and
 * with unknown-key validation on (as in every service) any other sts.* key fails start-up.
 */
class StsConfigMappingTest {
    /** Stands for a service's own mapping, e.g. token-service's {@code TokenConfig}. */
    @ConfigMapping(prefix = "sts.example")
    public interface ExampleServiceConfig {
        @WithDefault("PT1S")
        Duration interval();
    }

    static SmallRyeConfig build(Map<String, String> properties, Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .withMapping(StsConfig.class)
                .withMapping(ExampleServiceConfig.class)
                .withValidateUnknown(true)
                .build();
    }

    @Test
    void keysOfTheRootAndOfEveryAreaMappingAreKnown() {
        SmallRyeConfig config = build(Map.of(
                "sts.account-id", "111122223333",
                "sts.dev-mode", "true",
                "sts.auth.jwks-url", "https://token-service:8082/.well-known/jwks.json",
                "sts.auth.issuer", "https://token-service:8082",
                "sts.auth.jwks-refresh", "PT1M",
                "sts.example.interval", "PT2S"), Map.of());

        StsConfig sts = config.getConfigMapping(StsConfig.class);
        assertThat(sts.accountId()).isEqualTo("111122223333");
        assertThat(sts.devMode()).isTrue();
        assertThat(sts.auth().issuer()).contains("https://token-service:8082");
        assertThat(sts.auth().jwksRefresh()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.getConfigMapping(ExampleServiceConfig.class).interval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anUnknownStsKeyFailsStartUp() {
        assertThatThrownBy(() -> build(Map.of("sts.acount-id", "111122223333"), Map.of()))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("sts.acount-id");
        assertThatThrownBy(() -> build(Map.of("sts.auth.jwks-ur1", "x"), Map.of()))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("sts.auth.jwks-ur1");
        assertThatThrownBy(() -> build(Map.of("sts.example.intervall", "PT1S"), Map.of()))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("sts.example.intervall");
        // A key of an area whose mapping this service does not have is unknown here too.
        assertThatThrownBy(() -> build(Map.of("sts.role.outbox-interval", "1s"), Map.of()))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("sts.role.outbox-interval");
    }

    @Test
    void environmentVariablesAreNotValidatedSoSharedEnvironmentsStillWork() {
        SmallRyeConfig config = build(Map.of(), Map.of("STS_TOKEN_ISSUER", "x", "STS_AUTH_ISSUER", "https://t"));
        assertThat(config.getConfigMapping(StsConfig.class).auth().issuer()).contains("https://t");
    }
}
