package dev.sts.kit.audit;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;

/**
 * The one mapping from an authenticated caller to the identity an audit event records. Every
 * service's events use it, so a change made by a role session carries the same session context
 * (role, session name, source identity, session id, chain depth, access key id) whichever service
 * records it. The services copy the result field by field into {@code sts.v1.UserIdentity}: this
 * module does not compile the contract.
 */
public final class AuditIdentities {
    private AuditIdentities() {
    }

    public static AuditIdentity of(CallerIdentity caller) {
        AuditIdentity.Session session = null;
        if (caller.isSession()) {
            SessionClaims s = caller.session();
            session = new AuditIdentity.Session(nz(s.roleArn()), nz(s.roleId()), roleName(s.roleArn()),
                    nz(s.accountId()), nz(s.sessionName()), s.issuedAt(), nz(s.sourceIdentity()), nz(s.sessionId()),
                    s.chainDepth());
        }
        return new AuditIdentity(nz(caller.type()), nz(caller.userId()), nz(caller.arn()), nz(caller.accountId()),
                nz(caller.accessKeyId()), session);
    }

    private static String roleName(String roleArn) {
        return roleArn == null ? "" : roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
