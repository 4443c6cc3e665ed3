package dev.sts.kit.auth;

/**
 * An authenticated caller.
 *
 * @param type CloudTrail's userIdentity type: "Root", "IAMUser", "AssumedRole", "AWSService" or "Role"
 * @param arn the principal's ARN (a service principal's name for "AWSService")
 * @param bootstrap whether the principal is one of the configured administrators (static credentials only)
 * @param session the session behind an "AssumedRole" caller, else {@code null}
 */
public record CallerIdentity(String type, String arn, String accountId, String userId, String accessKeyId,
        boolean bootstrap, SessionClaims session) {

    /** A role session: never a bootstrap principal, whatever its ARN (the session name is the caller's choice). */
    public static CallerIdentity ofSession(SessionClaims s) {
        return new CallerIdentity("AssumedRole", s.assumedRoleArn(), s.accountId(), s.userId(), s.accessKeyId(),
                false, s);
    }

    /** Identity for a principal authenticated by a bootstrap (static) credential. */
    public static CallerIdentity ofPrincipal(String principal, String defaultAccount, boolean bootstrap) {
        String type;
        String account = defaultAccount;
        String userId = principal;
        if (principal.startsWith("arn:")) {
            String[] parts = principal.split(":", 6);
            account = parts.length > 4 && !parts[4].isEmpty() ? parts[4] : defaultAccount;
            String resource = parts.length > 5 ? parts[5] : "";
            if (resource.equals("root")) {
                type = "Root";
                userId = account;
            } else if (resource.startsWith("user/")) {
                type = "IAMUser";
            } else if (resource.startsWith("role/")) {
                type = "Role";
            } else {
                type = "Unknown";
            }
        } else {
            type = "AWSService";
        }
        return new CallerIdentity(type, principal, account, userId, null, bootstrap, null);
    }

    public boolean isSession() {
        return session != null;
    }
}
