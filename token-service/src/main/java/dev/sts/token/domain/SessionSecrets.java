package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.aws.AwsConfig;
import dev.sts.kit.aws.AwsKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;

/**
 * The secret access key of a session, derived from the AWS key ring, never stored (docs/adr/023):
 * the session token names the ring key ({@link SessionClaims#secretKeyId()}), so every service that
 * holds the ring derives the same secret to verify the session's SigV4 signatures. Without a ring
 * the secret is random and verifies nowhere (an installation that serves gRPC only).
 */
@ApplicationScoped
public class SessionSecrets {
    private final AwsKeyRing ring;

    @Inject
    public SessionSecrets(AwsConfig aws) {
        this(aws.keyRingFile().map(Path::of).map(AwsKeyRing::load).orElse(AwsKeyRing.empty()));
    }

    public SessionSecrets(AwsKeyRing ring) {
        this.ring = ring;
    }

    /** The claims bound to the ring's current key, before they are signed. */
    public SessionClaims bind(SessionClaims claims) {
        return ring.currentKeyId().map(claims::withSecretKeyId).orElse(claims);
    }

    /** The secret of signed claims: derived when they name a ring key, else random. */
    public String secretOf(SessionClaims claims) {
        return ring.sessionSecret(claims.secretKeyId(), claims.accessKeyId(), claims.sessionId())
                .orElseGet(Credentials::secretAccessKey);
    }
}
