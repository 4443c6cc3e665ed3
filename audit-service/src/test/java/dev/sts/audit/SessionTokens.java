package dev.sts.audit;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.proto.v1.RoleState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Session credentials as AssumeRole returns them, for audit-service's AWS protocol tests: a session
 * token signed as token-service signs it (through {@link SessionTokensResource}) naming the key
 * ring's current key, and the secret access key derived from that key (docs/adr/023).
 */
public final class SessionTokens {
    private SessionTokens() {
    }

    public static AwsSessionCredentials credentials(RoleState role, String sessionName) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String accessKeyId = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        String sessionId = UUID.randomUUID().toString();
        String ringKey = AwsTestKeys.RING.currentKeyId().orElseThrow();
        SessionClaims claims = new SessionClaims(SessionTokensResource.issuer(), "sts", sessionId,
                "arn:aws:sts::" + role.getAccountId() + ":assumed-role/" + role.getRoleName() + "/" + sessionName,
                role.getArn(), role.getRoleId(), sessionName, role.getAccountId(), null, Map.of(), List.of(), accessKeyId,
                now, now.plusSeconds(900), 1, "arn:aws:iam::" + role.getAccountId() + ":root", null, null, List.of())
                .withSecretKeyId(ringKey);
        String secret = AwsTestKeys.RING.sessionSecret(ringKey, accessKeyId, sessionId).orElseThrow();
        return AwsSessionCredentials.create(accessKeyId, secret, SessionTokensResource.sign(claims));
    }
}
