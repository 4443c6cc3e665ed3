package dev.sts.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** token-service settings ({@code sts.token.*}; environment {@code STS_TOKEN_*}). */
@ConfigMapping(prefix = "sts.token")
public interface TokenConfig {
    /** Base64 of 32 bytes: the AES-256 key that seals signing keys at rest. Supply it from a Secret. */
    String keyEncryptionKey();

    /** The {@code iss} of session tokens: this service's public URL. */
    @WithDefault("http://127.0.0.1:8082")
    String issuer();

    /** token-service's own bearer credential for reading roles from role-service. */
    Optional<String> roleServiceCredential();

    /**
     * The deadline of one call to role-service (GetRole during AssumeRole). Short: role-service
     * answers reads in milliseconds, and a caller is better served by "role-service did not
     * answer" than by waiting for its own deadline.
     */
    @WithDefault("PT2S")
    Duration roleServiceDeadline();

    /** How long one signing key signs new tokens before the next one takes over. */
    @WithDefault("P7D")
    Duration keySigningPeriod();
}
