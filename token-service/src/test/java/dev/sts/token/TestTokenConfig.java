package dev.sts.token;

import dev.sts.token.config.TokenConfig;
import dev.sts.token.signing.SigningAlgorithm;
import java.time.Duration;
import java.util.Optional;

/** token-service's settings for unit tests: a key-encryption key and a signing period; the rest fixed. */
public record TestTokenConfig(String keyEncryptionKey, Duration keySigningPeriod) implements TokenConfig {
    @Override
    public String issuer() {
        return "https://sts.test";
    }

    @Override
    public Optional<String> roleServiceCredential() {
        return Optional.empty();
    }

    @Override
    public Duration roleServiceDeadline() {
        return Duration.ofSeconds(2);
    }

    @Override
    public Duration keyPrePublication() {
        return Duration.ofHours(1);
    }

    @Override
    public Duration keyRefreshInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Signing signing() {
        return () -> SigningAlgorithm.EdDSA;
    }
}
