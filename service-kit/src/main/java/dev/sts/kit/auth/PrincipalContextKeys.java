package dev.sts.kit.auth;

import dev.sts.policy.RequestContext;
import java.util.Map;

/**
 * The global condition keys that describe the caller, as AWS puts them in every request context
 * ("AWS global condition context keys", IAM User Guide, reference_policies_condition-keys): one
 * definition for the trust evaluation of AssumeRole (token-service) and the authorization of every
 * RPC (the {@link Authorizer}).
 */
public final class PrincipalContextKeys {
    private PrincipalContextKeys() {
    }

    /**
     * Adds {@code aws:PrincipalArn} (for a role session: the role's ARN, not the session's),
     * {@code aws:PrincipalAccount}, {@code aws:PrincipalType}, {@code aws:userid},
     * {@code aws:username} (IAM users only) and, for a role session, {@code aws:SourceIdentity},
     * {@code aws:PrincipalTag/*}, {@code aws:TokenIssueTime} and {@code aws:MultiFactorAuthPresent}.
     *
     * @param roleTags the tags of the session's role, when known: "the principal tags" of a role
     *     session are its role's tags and its session tags, and a session tag overrides a role tag
     *     with the same key (IAM User Guide, id_session-tags, "Session tags override role tags")
     */
    public static void put(RequestContext.Builder ctx, CallerIdentity caller, Map<String, String> roleTags) {
        String principalArn = caller.isSession() ? caller.session().roleArn() : caller.arn();
        ctx.put("aws:PrincipalArn", principalArn);
        if (caller.accountId() != null) {
            ctx.put("aws:PrincipalAccount", caller.accountId());
        }
        ctx.put("aws:PrincipalType", principalType(caller));
        ctx.put("aws:userid", caller.userId() == null ? caller.arn() : caller.userId());
        if ("IAMUser".equals(caller.type())) {
            ctx.put("aws:username", caller.arn().substring(caller.arn().lastIndexOf('/') + 1));
        }
        if (caller.isSession()) {
            SessionClaims s = caller.session();
            if (s.sourceIdentity() != null) {
                ctx.put("aws:SourceIdentity", s.sourceIdentity());
            }
            // Keys are case-insensitive in the context: a later put of the same key replaces it.
            roleTags.forEach((k, v) -> ctx.put("aws:PrincipalTag/" + k, v));
            s.tags().forEach((k, v) -> ctx.put("aws:PrincipalTag/" + k, v));
            ctx.put("aws:TokenIssueTime", s.issuedAt().toString());
            // Present for temporary credentials; "true" only for sessions created with MFA, which
            // this system does not issue.
            ctx.put("aws:MultiFactorAuthPresent", "false");
        }
    }

    /** The value of {@code aws:PrincipalType}: Account, User, AssumedRole, Service (or the caller's type). */
    public static String principalType(CallerIdentity c) {
        return switch (c.type()) {
            case "Root" -> "Account";
            case "IAMUser" -> "User";
            case "AssumedRole" -> "AssumedRole";
            case "AWSService" -> "Service";
            default -> c.type();
        };
    }
}
