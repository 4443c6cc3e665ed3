package dev.sts.policy;

import java.util.Locale;

/**
 * The caller of a request, parsed once from what the request names: an IAM user ARN (with or
 * without a path), the account root, an assumed-role session ARN, a federated-user ARN, a role
 * ARN, a service principal ({@code ec2.amazonaws.com}), a SAML/OIDC provider ARN or web-identity
 * provider name, or {@code anonymous}.
 *
 * @param raw       the principal as given
 * @param kind      what sort of principal it is
 * @param partition ARN partition ({@code aws}), or null
 * @param account   the 12-digit account, or null (anonymous, services, web-identity providers)
 * @param name      user name, role name or federated-user name (last path element), or null
 * @param roleArn   for role sessions: the role's ARN (from {@code aws:PrincipalArn} when given, so
 *                  it carries the role's path), else null
 */
public record RequestPrincipal(String raw, Kind kind, String partition, String account, String name, String roleArn) {

    public enum Kind {
        ANONYMOUS, ROOT, USER, ROLE, ASSUMED_ROLE, FEDERATED_USER, SERVICE, FEDERATED_PROVIDER, CANONICAL_USER, UNKNOWN;

        /** Principals that are IAM identities in an account, governed by identity-based policies. */
        public boolean hasIdentityPolicies() {
            return this == ROOT || this == USER || this == ROLE || this == ASSUMED_ROLE || this == FEDERATED_USER;
        }
    }

    /** Parses {@code principal}; {@code principalArn} is {@code aws:PrincipalArn} from the context, or null. */
    public static RequestPrincipal parse(String principal, String principalArn) {
        if (principal == null || principal.isEmpty() || principal.equalsIgnoreCase("anonymous") || principal.equals("*")) {
            return new RequestPrincipal(principal == null ? "anonymous" : principal, Kind.ANONYMOUS, null, null, null, null);
        }
        if (principal.startsWith("arn:")) {
            String[] f = principal.split(":", 6);
            if (f.length == 6) {
                String partition = f[1];
                String service = f[2];
                String account = f[4];
                String res = f[5];
                if (service.equals("iam")) {
                    if (res.equals("root")) {
                        return new RequestPrincipal(principal, Kind.ROOT, partition, account, null, null);
                    }
                    if (res.startsWith("user/")) {
                        return new RequestPrincipal(principal, Kind.USER, partition, account, last(res), null);
                    }
                    if (res.startsWith("role/")) {
                        return new RequestPrincipal(principal, Kind.ROLE, partition, account, last(res), principal);
                    }
                    if (res.startsWith("saml-provider/") || res.startsWith("oidc-provider/")) {
                        return new RequestPrincipal(principal, Kind.FEDERATED_PROVIDER, partition, account, null, null);
                    }
                } else if (service.equals("sts")) {
                    if (res.startsWith("assumed-role/")) {
                        String[] parts = res.split("/", -1);
                        if (parts.length >= 3) {
                            String roleName = parts[1];
                            String roleArn = principalArn != null && principalArn.contains(":role/")
                                    && last(principalArn).equals(roleName)
                                    ? principalArn
                                    : "arn:" + partition + ":iam::" + account + ":role/" + roleName;
                            return new RequestPrincipal(principal, Kind.ASSUMED_ROLE, partition, account, roleName, roleArn);
                        }
                    }
                    if (res.startsWith("federated-user/")) {
                        return new RequestPrincipal(principal, Kind.FEDERATED_USER, partition, account, last(res), null);
                    }
                }
                return new RequestPrincipal(principal, Kind.UNKNOWN, partition, account.isEmpty() ? null : account, null, null);
            }
            return new RequestPrincipal(principal, Kind.UNKNOWN, null, null, null, null);
        }
        if (isAccountId(principal)) {
            return new RequestPrincipal(principal, Kind.ROOT, "aws", principal, null, null);
        }
        String lower = principal.toLowerCase(Locale.ROOT);
        if ((lower.endsWith(".amazonaws.com") || lower.endsWith(".amazonaws.com.cn"))
                && !lower.equals("cognito-identity.amazonaws.com")) {
            return new RequestPrincipal(principal, Kind.SERVICE, null, null, null, null);
        }
        if (lower.length() == 64 && lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new RequestPrincipal(principal, Kind.CANONICAL_USER, null, null, null, null);
        }
        if (principal.indexOf('.') > 0) {
            return new RequestPrincipal(principal, Kind.FEDERATED_PROVIDER, null, null, null, null);
        }
        return new RequestPrincipal(principal, Kind.UNKNOWN, null, null, null, null);
    }

    static boolean isAccountId(String s) {
        if (s.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** What follows the last '/' (a user's or role's name after its path). */
    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
