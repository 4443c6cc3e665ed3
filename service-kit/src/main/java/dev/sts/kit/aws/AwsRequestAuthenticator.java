package dev.sts.kit.aws;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Establishes who sent a SigV4-signed AWS protocol request, as the same {@link CallerIdentity} the
 * gRPC {@link Authenticator} yields, so the same authorization and audit code apply.
 *
 * <ul>
 *   <li>Session credentials ({@code ASIA...}): the {@code X-Amz-Security-Token} is verified first, as
 *       a bearer session token is (signature, expiry, revocation); its access key id must be the
 *       Credential's; the secret is derived from the key ring with the key the token names; then the
 *       signature is checked with it.</li>
 *   <li>Long-term access keys ({@code AKIA...}) of the bootstrap principals: the key's secret is
 *       derived from the ring; administrator rights as for the same principal's bearer credential.</li>
 * </ul>
 */
@ApplicationScoped
public class AwsRequestAuthenticator {
    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    private final AwsKeyRing ring;
    private final AwsAccessKeys accessKeys;
    private final Function<String, SessionClaims> sessions;
    private final Set<String> bootstrapPrincipals;
    private final String accountId;
    private final SigV4Verifier verifier;

    @Inject
    public AwsRequestAuthenticator(StsConfig config, AwsConfig aws, Authenticator authenticator, InstantSource clock) {
        this(aws.keyRingFile().map(Path::of).map(AwsKeyRing::load).orElse(AwsKeyRing.empty()),
                aws.accessKeysFile().map(Path::of).map(AwsAccessKeys::load).orElse(AwsAccessKeys.empty()),
                authenticator::verifySession,
                Set.copyOf(config.auth().bootstrapPrincipals().orElse(List.of())), config.accountId(), clock);
    }

    /**
     * @param sessions verifies a session token (signature, expiry, revocation) or throws the
     *     {@link StsException} to answer with
     */
    public AwsRequestAuthenticator(AwsKeyRing ring, AwsAccessKeys accessKeys, Function<String, SessionClaims> sessions,
            Set<String> bootstrapPrincipals, String accountId, InstantSource clock) {
        this.ring = ring;
        this.accessKeys = accessKeys;
        this.sessions = sessions;
        this.bootstrapPrincipals = Set.copyOf(bootstrapPrincipals);
        this.accountId = accountId;
        this.verifier = new SigV4Verifier(clock);
        for (AwsAccessKeys.AccessKey key : accessKeys.all()) {
            if (!ring.contains(key.ringKeyId())) {
                throw new IllegalStateException("access key " + key.accessKeyId() + " names key ring key "
                        + key.ringKeyId() + ", which sts.aws.key-ring-file does not hold");
            }
        }
    }

    /** The key ring, for token-service to derive the secrets it issues. */
    public AwsKeyRing ring() {
        return ring;
    }

    /**
     * The caller of a signed request to {@code service} ("sts", "iam", "cloudtrail").
     *
     * @throws StsException {@code MissingAuthenticationToken}, {@code IncompleteSignature},
     *     {@code InvalidClientTokenId}, {@code ExpiredToken}, {@code RequestExpired},
     *     {@code SignatureDoesNotMatch}, or {@code ServiceUnavailable} when session keys cannot be had
     */
    public CallerIdentity authenticate(AwsHttpRequest request, String service) {
        SigV4Authorization auth = SigV4Verifier.parse(request);
        String keyId = auth.accessKeyId();
        if (keyId.startsWith("ASIA")) {
            if (auth.securityToken() == null || auth.securityToken().isEmpty()) {
                throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN);
            }
            SessionClaims session = sessions.apply(auth.securityToken());
            if (!keyId.equals(session.accessKeyId())) {
                throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN);
            }
            // A session issued without a ring key (or with a key since removed from the ring) has no
            // secret this service can derive: its SigV4 requests are refused, never accepted unchecked.
            String secret = ring.sessionSecret(session.secretKeyId(), keyId, session.sessionId())
                    .orElseThrow(() -> new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN));
            verifier.verify(request, auth, secret, service);
            return CallerIdentity.ofSession(session);
        }
        if (auth.securityToken() != null) {
            // A security token belongs to session credentials only; with a long-term key it is refused
            // rather than ignored.
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN);
        }
        AwsAccessKeys.AccessKey key = accessKeys.find(keyId).orElseThrow(() -> new StsException(
                ErrorCode.INVALID_CLIENT_TOKEN_ID, "The security token included in the request is invalid."));
        String secret = ring.accessKeySecret(key.ringKeyId(), keyId)
                .orElseThrow(() -> new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN));
        verifier.verify(request, auth, secret, service);
        CallerIdentity p = CallerIdentity.ofPrincipal(key.principal(), accountId,
                bootstrapPrincipals.contains(key.principal()));
        return new CallerIdentity(p.type(), p.arn(), p.accountId(), p.userId(), keyId, p.bootstrap(), null);
    }
}
