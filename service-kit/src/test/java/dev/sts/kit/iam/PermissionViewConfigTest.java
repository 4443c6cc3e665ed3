package dev.sts.kit.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.config.StsConfig;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sts.permission-view.* are declared keys (docs/adr/006), with their defaults. */
class PermissionViewConfigTest {
    static SmallRyeConfig build(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withMapping(StsConfig.class)
                .withMapping(PermissionViewConfig.class)
                .withValidateUnknown(true)
                .build();
    }

    @Test
    void defaults() {
        PermissionViewConfig c = build(Map.of()).getConfigMapping(PermissionViewConfig.class);
        assertThat(c.enabled()).isTrue();
        assertThat(c.maxRecordBytes()).isEqualTo(1_048_576);
        assertThat(c.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void keysAreKnownAndMisspellingsFailStartUp() {
        PermissionViewConfig c = build(Map.of("sts.permission-view.enabled", "false",
                "sts.permission-view.max-record-bytes", "2048")).getConfigMapping(PermissionViewConfig.class);
        assertThat(c.enabled()).isFalse();
        assertThat(c.maxRecordBytes()).isEqualTo(2048);
        assertThatThrownBy(() -> build(Map.of("sts.permission-view.enable", "false")))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("sts.permission-view.enable");
    }
}
