package dev.sts.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.sts.token.signing.SigningAlgorithm;
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

    /**
     * How long one signing key signs new tokens before the next one takes over (the rotation
     * period; at least PT1H). A key stays published 12 h and 5 min longer.
     */
    @WithDefault("P1D")
    Duration keySigningPeriod();

    /**
     * How long before it signs a new key is written and published: shorter than the signing
     * period, and at least twice {@code key-refresh-interval} plus {@code sts.auth.jwks-refresh}.
     * The JWK set's HTTP {@code max-age} is half of it (docs/adr/016-signing-key-rotation.md).
     */
    @WithDefault("PT1H")
    Duration keyPrePublication();

    /** How often each replica reloads the signing keys from the database and writes the next when due. */
    @WithDefault("PT1M")
    Duration keyRefreshInterval();

    /** How new signing keys sign ({@code sts.token.signing.*}). */
    Signing signing();

    /** Signing of session tokens (docs/adr/019-ed25519-session-tokens.md). */
    interface Signing {
        /**
         * The algorithm of signing keys written from now on: {@code EdDSA} (Ed25519) or {@code ES256}.
         * Existing keys keep theirs: a change takes effect at the next rotation, and tokens of both
         * algorithms verify while their keys are published.
         */
        @WithDefault("EdDSA")
        SigningAlgorithm algorithm();
    }
}
