package dev.sts.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OIDC identity providers that AssumeRoleWithWebIdentity trusts ({@code sts.token.oidc.*}), the
 * equivalent of IAM's {@code CreateOpenIDConnectProvider}: each is registered in one account as
 * {@code arn:aws:iam::<account>:oidc-provider/<issuer host/path>} with its client ids. No provider is
 * configured by default, so the RPC refuses every token until one is.
 */
@ConfigMapping(prefix = "sts.token.oidc")
public interface WebIdentityConfig {
    /** The providers by a name of the operator's choosing (it appears nowhere else). */
    Map<String, Provider> providers();

    /**
     * Clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. IAM's own: "IAM provides a
     * five-minute window beyond the expiration time specified in the JWT to account for clock skew"
     * (IAM User Guide, OIDC federation).
     */
    @WithDefault("PT5M")
    Duration leeway();

    /** Connect timeout of one fetch of a discovery document or JWK set. */
    @WithDefault("PT2S")
    Duration connectTimeout();

    /** Deadline of the whole response of one fetch. */
    @WithDefault("PT3S")
    Duration readTimeout();

    /** Largest discovery document or JWK set accepted, in bytes. */
    @WithDefault("65536")
    int maxDocumentBytes();

    /** A provider's keys are fetched again once they are this old (and unused after twice this if the issuer is down). */
    @WithDefault("PT1H")
    Duration jwksRefresh();

    /**
     * Least time between two fetches of one provider's keys. A token naming an unknown {@code kid}
     * fetches the set again (the issuer rolled its key), but not more often than this, so tokens
     * with made-up key ids cannot turn requests into fetches.
     */
    @WithDefault("PT30S")
    Duration jwksMinRefetch();

    /** One OIDC identity provider. */
    interface Provider {
        /** The 12-digit account the provider is registered in; roles of that account may trust it. */
        String accountId();

        /** The issuer URL exactly as the tokens' {@code iss} carries it (https, or http for tests). */
        String issuer();

        /** The client ids (audiences) accepted in a token's {@code aud}: for Kubernetes, the projected token's audience. */
        List<String> clientIds();

        /**
         * A JWK set file holding the issuer's public keys, for an issuer that cannot be reached (a
         * kind or minikube cluster: {@code kubectl get --raw /openid/v1/jwks}). Read at start-up;
         * when set, nothing is fetched.
         */
        Optional<Path> jwksFile();

        /**
         * The JWK set URL. When unset, it is read from the issuer's discovery document
         * ({@code <issuer>/.well-known/openid-configuration}, its {@code jwks_uri}).
         */
        Optional<String> jwksUri();

        /** PEM CA certificates that verify the issuer's https certificate (the JVM's trust store when unset). */
        Optional<Path> caFile();
    }
}
