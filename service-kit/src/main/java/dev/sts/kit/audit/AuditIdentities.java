package dev.sts.kit.audit;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.SessionIssuer;
import dev.sts.proto.v1.UserIdentity;

/**
 * The one mapping from an authenticated caller to the identity an audit event records
 * (CloudTrail's {@code userIdentity}). Every service's events use it, so a change made by a role
 * session carries the same session context (role, session name, source identity, session id,
 * chain depth, access key id) whichever service records it. Absent values are empty strings, as
 * proto3 encodes them.
 */
public final class AuditIdentities {
    private AuditIdentities() {
    }

    public static UserIdentity of(CallerIdentity caller) {
        UserIdentity.Builder b = UserIdentity.newBuilder()
                .setType(nz(caller.type()))
                .setPrincipalId(nz(caller.userId()))
                .setArn(nz(caller.arn()))
                .setAccountId(nz(caller.accountId()))
                .setAccessKeyId(nz(caller.accessKeyId()));
        if (caller.isSession()) {
            SessionClaims s = caller.session();
            b.setSessionContext(SessionContext.newBuilder()
                    .setSessionIssuer(SessionIssuer.newBuilder()
                            .setType("Role")
                            .setPrincipalId(nz(s.roleId()))
                            .setArn(nz(s.roleArn()))
                            .setAccountId(nz(s.accountId()))
                            .setUserName(roleName(s.roleArn())))
                    .setCreationDate(Timestamps.of(s.issuedAt()))
                    .setSourceIdentity(nz(s.sourceIdentity()))
                    .setSessionId(nz(s.sessionId()))
                    .setChainDepth(s.chainDepth()));
        }
        return b.build();
    }

    private static String roleName(String roleArn) {
        return roleArn == null ? "" : roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
