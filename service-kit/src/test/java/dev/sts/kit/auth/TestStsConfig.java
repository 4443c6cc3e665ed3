package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A hand-written {@link StsConfig} for unit tests, with the defaults of the real mapping. */
record TestStsConfig(String accountId, boolean devMode, Auth auth) implements StsConfig {

    static TestStsConfig of(Auth auth) {
        return new TestStsConfig("000000000000", false, auth);
    }

    @Override
    public String partition() {
        return "aws";
    }

    record TestAuth(Optional<String> staticCredentialsFile, Optional<List<String>> bootstrapPrincipals,
            Optional<List<String>> internalPrincipals, Optional<String> jwksUrl, Optional<String> issuer)
            implements StsConfig.Auth {

        static TestAuth jwks(String url, String issuer) {
            return new TestAuth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(url),
                    Optional.ofNullable(issuer));
        }

        static TestAuth principals(String staticCredentialsFile, List<String> bootstrap, List<String> internal) {
            return new TestAuth(Optional.ofNullable(staticCredentialsFile), Optional.of(bootstrap), Optional.of(internal),
                    Optional.empty(), Optional.empty());
        }

        @Override
        public String audience() {
            return "sts";
        }

        @Override
        public Duration jwksRefresh() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration jwksMinRefetchInterval() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration jwksConnectTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration jwksReadTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public int jwksMaxBytes() {
            return 65536;
        }

        @Override
        public Duration clockSkew() {
            return Duration.ofSeconds(60);
        }

        @Override
        public int verifiedTokenCacheSize() {
            return 1000;
        }
    }
}
