package dev.sts.token.webidentity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sts.kit.auth.JwksFetcher;
import dev.sts.kit.auth.RemoteJwks;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.tls.JwksTrust;
import dev.sts.token.config.WebIdentityConfig;
import dev.sts.token.domain.IdentityTokenVerifier;
import dev.sts.token.domain.OidcProvider;
import dev.sts.token.domain.WebIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Verifies web identity tokens with Nimbus against the configured OIDC providers
 * ({@link WebIdentityConfig}). Per provider one {@link DefaultJWTProcessor} whose key selector
 * accepts only RS256 and ES256: a token with {@code alg} none, an HMAC algorithm (the "HS256 signed
 * with the public key" attack) or anything else is refused before any key is looked at, and a key
 * is used only for the algorithm its JWK allows. Unknown {@code crit} headers are refused by
 * Nimbus; {@code jku}, {@code x5u} and {@code jwk} headers are never consulted (keys come only from
 * the provider's configured or discovered JWK set).
 *
 * <p>Claims are then checked here, so each failure gets STS's own code: {@code iss} exactly the
 * provider's, {@code aud} among its client ids ("Incorrect token audience" is InvalidIdentityToken),
 * {@code exp} required and not past ({@code ExpiredToken}), {@code nbf}/{@code iat} not in the
 * future, all with {@link WebIdentityConfig#leeway()}; {@code sub} required.
 */
@ApplicationScoped
public class OidcTokenVerifier implements IdentityTokenVerifier {
    private static final Logger LOG = Logger.getLogger(OidcTokenVerifier.class);
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** SubjectFromWebIdentityToken: length 6-255 (STS API reference, AssumeRoleWithWebIdentity response). */
    static final int SUBJECT_MIN = 6;
    static final int SUBJECT_MAX = 255;
    /** Our bounds on the claims that reach a policy context: values and their count. */
    static final int CLAIM_VALUE_MAX = 256;
    static final int CLAIM_VALUES_MAX = 20;
    static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";
    static final String TAGS_CLAIM = "https://aws.amazon.com/tags";

    private record Registered(OidcProvider provider, DefaultJWTProcessor<SecurityContext> processor) {
    }

    /** Providers by account and issuer. */
    private final Map<String, Registered> providers = new HashMap<>();
    private final Duration leeway;
    private final InstantSource clock;

    public OidcTokenVerifier(WebIdentityConfig config, StsConfig sts, InstantSource clock) {
        this.leeway = config.leeway();
        this.clock = clock;
        config.providers().forEach((name, p) -> {
            OidcProvider provider = provider(name, p, sts.partition());
            String key = key(provider.accountId(), provider.issuer());
            if (providers.values().stream().anyMatch(r -> r.provider().arn().equals(provider.arn())) || providers.containsKey(key)) {
                throw new IllegalStateException("sts.token.oidc.providers." + name + ": " + provider.arn() + " is configured twice");
            }
            providers.put(key, new Registered(provider, processor(keySource(name, p, config, clock))));
            LOG.infof("OIDC provider %s (issuer %s, client ids %s, keys from %s)", provider.arn(), provider.issuer(),
                    provider.clientIds(), p.jwksFile().map(f -> "file " + f).orElse(p.jwksUri().orElse("discovery")));
        });
    }

    /** The provider as IAM names it; the configuration is checked here, so a bad one stops start-up. */
    static OidcProvider provider(String name, WebIdentityConfig.Provider p, String partition) {
        String prefix = "sts.token.oidc.providers." + name + ".";
        if (!ACCOUNT.matcher(p.accountId()).matches()) {
            throw new IllegalStateException(prefix + "account-id must be 12 digits");
        }
        URI issuer;
        try {
            issuer = new URI(p.issuer());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(prefix + "issuer is not a URL", e);
        }
        if (!("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme())) || issuer.getHost() == null
                || issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
            // OpenID Connect Discovery 1.0 §3: "a case-sensitive URL using the https scheme that contains
            // scheme, host, and optionally, port number and path components and no query or fragment".
            throw new IllegalStateException(prefix + "issuer must be an http(s) URL without query or fragment");
        }
        if (p.clientIds().isEmpty() || p.clientIds().stream().anyMatch(c -> c.isEmpty() || c.length() > CLAIM_VALUE_MAX)) {
            throw new IllegalStateException(prefix + "client-ids must name 1 or more audiences of 1-" + CLAIM_VALUE_MAX
                    + " characters");
        }
        // IAM names the provider by the issuer URL without its scheme: host and path (the port is not part of it).
        String id = issuer.getHost() + (issuer.getRawPath() == null ? "" : issuer.getRawPath());
        return new OidcProvider(id, "arn:" + partition + ":iam::" + p.accountId() + ":oidc-provider/" + id, p.accountId(),
                p.issuer(), p.clientIds());
    }

    private static JWKSource<SecurityContext> keySource(String name, WebIdentityConfig.Provider p, WebIdentityConfig config,
            InstantSource clock) {
        if (p.jwksFile().isPresent()) {
            try {
                // Only public keys are ever used; a private key in the file is dropped.
                JWKSet set = JWKSet.load(p.jwksFile().get().toFile()).toPublicJWKSet();
                if (set.isEmpty()) {
                    throw new IllegalStateException("sts.token.oidc.providers." + name + ".jwks-file holds no public key");
                }
                return new ImmutableJWKSet<>(set);
            } catch (IOException | ParseException e) {
                throw new IllegalStateException("sts.token.oidc.providers." + name + ".jwks-file cannot be read: " + e.getMessage(), e);
            }
        }
        JwksFetcher fetcher = JwksFetcher.http(config.connectTimeout(), config.readTimeout(), config.maxDocumentBytes(),
                JwksTrust.withTrust(p.caFile()));
        if (p.jwksUri().isPresent()) {
            return new RemoteJwks(URI.create(p.jwksUri().get()), fetcher, config.jwksRefresh(), config.jwksMinRefetch(), clock);
        }
        return new DiscoveredJwks(p.issuer(), fetcher, config.jwksMinRefetch(), clock,
                uri -> new RemoteJwks(uri, fetcher, config.jwksRefresh(), config.jwksMinRefetch(), clock));
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // Claims are checked in verify(), where each failure gets its STS error code.
        processor.setJWTClaimsSetVerifier(null);
        return processor;
    }

    private static String key(String account, String issuer) {
        return account + " " + issuer;
    }

    @Override
    public WebIdentity verify(String token, String roleAccount) {
        SignedJWT jwt;
        String issuer;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                throw invalid("The web identity token is not a signed JWT", null);
            }
            jwt = signed;
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw invalid("The web identity token is not a valid JWT", null);
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw invalid("The web identity token's signature algorithm is not accepted (RS256 or ES256)", null);
        }
        Registered registered = issuer == null ? null : providers.get(key(roleAccount, issuer));
        if (registered == null) {
            // STS's message; the issuer is the caller's text, so it is cut before it is repeated.
            throw invalid("No OpenIDConnect provider found in your account for " + cut(issuer), null);
        }
        OidcProvider provider = registered.provider();
        JWTClaimsSet claims;
        try {
            claims = registered.processor().process(jwt, null);
        } catch (KeySourceException e) {
            LOG.warnf("cannot obtain the keys of %s: %s", provider.arn(), e.getMessage());
            throw new Rejected(ErrorCode.IDP_COMMUNICATION_ERROR, "Couldn't retrieve verification key from your identity provider",
                    "keys unavailable: " + e.getMessage(), provider.arn());
        } catch (BadJOSEException | JOSEException e) {
            throw invalid("The web identity token's signature cannot be verified with the provider's keys",
                    provider.arn(), e.getMessage());
        }
        return identity(provider, claims);
    }

    private WebIdentity identity(OidcProvider provider, JWTClaimsSet claims) {
        String arn = provider.arn();
        if (!provider.issuer().equals(claims.getIssuer())) {
            throw invalid("The token's issuer is not the provider's", arn, "iss");
        }
        List<String> audiences = claims.getAudience();
        String audience = audiences.stream().filter(provider.clientIds()::contains).findFirst().orElse(null);
        if (audience == null) {
            throw invalid("Incorrect token audience", arn, "aud " + cutList(audiences));
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
            throw invalid("The web identity token must carry exp and iat", arn, "missing exp or iat");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (now.isAfter(exp.plus(leeway))) {
            // STS's message for an expired token.
            throw new Rejected(ErrorCode.EXPIRED_TOKEN, "Token expired: current date/time " + DateTimeFormatter.ISO_INSTANT.format(now)
                    + " must be before the expiration date/time " + DateTimeFormatter.ISO_INSTANT.format(exp), "expired at " + exp, arn);
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(leeway))) {
            throw invalid("The web identity token is not valid yet (nbf)", arn, "nbf in the future");
        }
        if (claims.getIssueTime().toInstant().isAfter(now.plus(leeway))) {
            throw invalid("The web identity token was issued in the future (iat)", arn, "iat in the future");
        }
        String subject = claims.getSubject();
        if (subject == null) {
            throw invalid("The web identity token has no sub claim", arn, "no sub");
        }
        if (subject.length() < SUBJECT_MIN || subject.length() > SUBJECT_MAX || subject.chars().anyMatch(Character::isISOControl)) {
            throw rejected("The token's sub claim must be " + SUBJECT_MIN + "-" + SUBJECT_MAX + " characters without control characters",
                    arn);
        }
        List<String> others = audiences.stream().filter(a -> !a.equals(audience)).toList();
        bounded("aud", others, arn);
        List<String> amr = stringOrList(claims, "amr", arn);
        bounded("amr", amr, arn);
        String sourceIdentity;
        try {
            sourceIdentity = claims.getStringClaim(SOURCE_IDENTITY_CLAIM);
        } catch (ParseException e) {
            throw rejected("The token's " + SOURCE_IDENTITY_CLAIM + " claim must be a string", arn);
        }
        SessionTagsClaim tags = SessionTagsClaim.parse(claims.getClaim(TAGS_CLAIM), arn);
        return new WebIdentity(provider, subject, audience, others, amr, sourceIdentity, tags.tags(), tags.transitiveTagKeys(),
                claims.getIssueTime().toInstant(), exp);
    }

    private static List<String> stringOrList(JWTClaimsSet claims, String name, String arn) {
        Object value = claims.getClaim(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        try {
            List<String> list = claims.getStringListClaim(name);
            return list.stream().filter(java.util.Objects::nonNull).toList();
        } catch (ParseException e) {
            throw rejected("The token's " + name + " claim must be a string or a list of strings", arn);
        }
    }

    private static void bounded(String claim, List<String> values, String arn) {
        if (values.size() > CLAIM_VALUES_MAX || values.stream().anyMatch(v -> v.length() > CLAIM_VALUE_MAX)) {
            throw rejected("The token's " + claim + " claim may hold at most " + CLAIM_VALUES_MAX + " values of at most "
                    + CLAIM_VALUE_MAX + " characters", arn);
        }
    }

    static Rejected invalid(String message, String providerArn) {
        return new Rejected(ErrorCode.INVALID_IDENTITY_TOKEN, message, message, providerArn);
    }

    private static Rejected invalid(String message, String providerArn, String reason) {
        return new Rejected(ErrorCode.INVALID_IDENTITY_TOKEN, message, message + ": " + cut(reason), providerArn);
    }

    static Rejected rejected(String message, String providerArn) {
        return new Rejected(ErrorCode.IDP_REJECTED_CLAIM, message, message, providerArn);
    }

    /** Text from an unverified token, cut so that it fits a message and an event. */
    static String cut(String s) {
        if (s == null) {
            return "(none)";
        }
        if (s.length() <= CLAIM_VALUE_MAX) {
            return s;
        }
        // Never split a surrogate pair: a lone surrogate is not valid UTF-8 in an event.
        int end = Character.isHighSurrogate(s.charAt(CLAIM_VALUE_MAX - 1)) ? CLAIM_VALUE_MAX - 1 : CLAIM_VALUE_MAX;
        return s.substring(0, end) + "...";
    }

    private static String cutList(List<String> values) {
        return cut(String.join(",", values.subList(0, Math.min(values.size(), CLAIM_VALUES_MAX))));
    }
}
