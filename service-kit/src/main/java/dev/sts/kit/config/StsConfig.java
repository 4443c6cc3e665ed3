package dev.sts.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings every service shares ({@code sts.*}; environment {@code STS_*}). */
@ConfigMapping(prefix = "sts")
public interface StsConfig {
    /** The 12-digit account id that owns this installation's roles and policies. */
    @WithDefault("000000000000")
    String accountId();

    /** The ARN partition ("aws" keeps existing policies and tools working). */
    @WithDefault("aws")
    String partition();

    /** How callers are authenticated. */
    Auth auth();

    interface Auth {
        /**
         * File of bootstrap credentials, one per line: {@code <hex sha-256 of the bearer token> <principal>}.
         * Only hashes are held, so the file leaks no usable credential.
         */
        Optional<String> staticCredentialsFile();

        /** Principals with administrator rights, the equivalent of an account root. */
        Optional<List<String>> bootstrapPrincipals();

        /**
         * Principals of this system's own services (e.g. token-service's credential for role-service).
         * They may read (iam:Get*, iam:List*) and nothing else.
         */
        Optional<List<String>> internalPrincipals();

        /** Where to fetch token-service's JWK set to verify session tokens; unset in token-service itself. */
        Optional<String> jwksUrl();

        /** The audience session tokens are issued for. */
        @WithDefault("sts")
        String audience();
    }
}
