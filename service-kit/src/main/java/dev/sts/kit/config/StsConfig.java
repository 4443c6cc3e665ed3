package dev.sts.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /**
     * Whether this is a throw-away development installation (env {@code STS_DEV_MODE}): only then
     * does start-up accept the public dev defaults (key-encryption key, admin credential, database
     * passwords) that are published in this repository.
     */
    @WithDefault("false")
    boolean devMode();

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

        /**
         * The {@code iss} session tokens must carry (token-service's {@code sts.token.issuer}). Required
         * wherever {@code sts.auth.jwks-url} is set: a token is trusted only from the issuer it names.
         */
        Optional<String> issuer();

        /** How long a fetched JWK set is trusted before it is reloaded: the bound on trusting a removed key. */
        @WithDefault("PT5M")
        Duration jwksRefresh();

        /**
         * The least time between two fetches of the JWK set caused by unknown key ids or failures, so
         * forged key ids cannot turn requests into fetches (capped at {@code jwks-refresh}).
         */
        @WithDefault("PT30S")
        Duration jwksMinRefetchInterval();

        /** Connect timeout of a JWK set fetch. */
        @WithDefault("PT2S")
        Duration jwksConnectTimeout();

        /** Timeout of a whole JWK set response. */
        @WithDefault("PT3S")
        Duration jwksReadTimeout();

        /** The largest JWK set document accepted, in bytes. */
        @WithDefault("65536")
        int jwksMaxBytes();

        /** The audience session tokens are issued for. */
        @WithDefault("sts")
        String audience();

        /**
         * How far a session token's {@code exp} and {@code nbf} may be off the local clock and the token
         * still be accepted: clocks of different machines differ. Applies to every service.
         */
        @WithDefault("PT60S")
        Duration clockSkew();

        /**
         * How many verified session tokens are remembered (by SHA-256 of the token, until the token's
         * expiry), so that a repeated check of one token costs a hash lookup instead of a signature
         * verification; the least recently used are evicted beyond it. 0 turns the cache off.
         */
        @WithDefault("100000")
        int verifiedTokenCacheSize();
    }
}
