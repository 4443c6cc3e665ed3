package dev.sts.kit.audit;

import java.time.Instant;

/**
 * Who made a request, as the audit trail records it (CloudTrail's {@code userIdentity}); the field
 * names follow the {@code sts.v1.UserIdentity} message. Strings are never null: absent values are
 * empty, as proto3 encodes them.
 *
 * @param session the session behind an {@code AssumedRole} caller, or {@code null}
 */
public record AuditIdentity(String type, String principalId, String arn, String accountId, String accessKeyId,
        Session session) {

    /**
     * The session context of a role-session caller ({@code sts.v1.SessionContext} and its
     * {@code SessionIssuer}).
     *
     * @param roleArn the role the session was issued for (the session issuer)
     * @param roleName the role's name (CloudTrail's {@code sessionIssuer.userName})
     * @param sessionName the session name the session was issued with
     */
    public record Session(String roleArn, String roleId, String roleName, String roleAccountId, String sessionName,
            Instant creationDate, String sourceIdentity, String sessionId, int chainDepth) {
    }
}
