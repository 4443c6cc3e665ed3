package dev.sts.kit.config;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Every sts.* key must be declared by a {@code @ConfigMapping} (docs/adr/006), with one
 * exception: {@code sts.test-infra.*} are system properties through which the shared test
 * infrastructure (PostgreSQL and Kafka started once per test JVM) finds itself; they are not
 * settings of any service, so unknown-key validation skips them.
 */
public class StsConfigCustomizer implements SmallRyeConfigBuilderCustomizer {
    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withMappingIgnore("sts.test-infra.**");
    }
}
