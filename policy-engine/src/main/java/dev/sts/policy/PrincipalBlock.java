package dev.sts.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A statement's {@code Principal} or {@code NotPrincipal}, compiled for matching. Values are
 * exact: IAM allows {@code *} only as "everyone", never inside a name or ARN.
 */
public final class PrincipalBlock {

    /** How strongly a Principal element names the caller; the order is significant (weakest first). */
    public enum Match {
        /** Not named. */
        NONE,
        /** Only the caller's account is named: this delegates to the account's IAM policies. */
        ACCOUNT,
        /**
         * The caller's role (for a role session) or the IAM user behind a federated-user session is
         * named: within the account this grants, but boundaries and session policies still limit it.
         */
        LIMITED,
        /** The caller itself is named (user ARN, session ARN, service, {@code *}, ...). */
        DIRECT
    }

    private static final String OIDC_PROVIDER = ":oidc-provider/";

    private record RoleRef(String account, String name, String arn) {
    }

    private record UserRef(String account, String name) {
    }

    private final boolean not;
    private final Map<String, List<String>> entries;
    private final boolean everyone;
    private final boolean awsAll;
    private final boolean serviceAll;
    private final boolean federatedAll;
    private final Set<String> accounts = new HashSet<>();
    private final Set<String> exactArns = new HashSet<>();
    private final List<RoleRef> roles;
    private final List<UserRef> users;
    private final Set<String> services = new HashSet<>();
    private final Set<String> federated = new HashSet<>();
    private final Set<String> canonical = new HashSet<>();

    /**
     * @param entries principal type ("AWS", "Service", "Federated", "CanonicalUser") to values,
     *                or the single entry {@code "*" -> ["*"]} for {@code "Principal": "*"}.
     *                Values are already validated by the parser.
     */
    PrincipalBlock(boolean not, Map<String, List<String>> entries) {
        this.not = not;
        this.entries = Map.copyOf(entries);
        this.everyone = entries.containsKey("*");
        boolean aws = false;
        boolean svc = false;
        boolean fed = false;
        java.util.ArrayList<RoleRef> roleList = new java.util.ArrayList<>();
        java.util.ArrayList<UserRef> userList = new java.util.ArrayList<>();
        for (Map.Entry<String, List<String>> e : entries.entrySet()) {
            for (String v : e.getValue()) {
                switch (e.getKey()) {
                    case "AWS" -> {
                        if (v.equals("*")) {
                            aws = true;
                        } else if (RequestPrincipal.isAccountId(v)) {
                            accounts.add(v);
                        } else if (v.startsWith("arn:")) {
                            String[] f = v.split(":", 6);
                            String account = f[4];
                            String res = f[5];
                            if (res.equals("root")) {
                                accounts.add(account);
                            } else {
                                exactArns.add(v);
                                if (f[2].equals("iam") && res.startsWith("role/")) {
                                    roleList.add(new RoleRef(account, last(res), v));
                                } else if (f[2].equals("iam") && res.startsWith("user/")) {
                                    userList.add(new UserRef(account, last(res)));
                                }
                            }
                        } else {
                            exactArns.add(v); // unique principal id (AIDA..., AROA...)
                        }
                    }
                    case "Service" -> {
                        if (v.equals("*")) {
                            svc = true;
                        } else {
                            services.add(v.toLowerCase(Locale.ROOT));
                        }
                    }
                    case "Federated" -> {
                        if (v.equals("*")) {
                            fed = true;
                        } else {
                            federated.add(v);
                            federated.add(v.toLowerCase(Locale.ROOT));
                            if (v.startsWith("arn:") && v.contains(OIDC_PROVIDER)) {
                                // a web-identity caller may be named by its provider URL alone
                                String url = v.substring(v.indexOf(OIDC_PROVIDER) + OIDC_PROVIDER.length());
                                federated.add(url);
                                federated.add(url.toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                    case "CanonicalUser" -> canonical.add(v);
                    default -> {
                        // "*"
                    }
                }
            }
        }
        this.awsAll = aws;
        this.serviceAll = svc;
        this.federatedAll = fed;
        this.roles = List.copyOf(roleList);
        this.users = List.copyOf(userList);
    }

    /** True for {@code NotPrincipal}. */
    public boolean isNot() {
        return not;
    }

    /** The element as written: type to values ({@code "*"} for the bare wildcard). */
    public Map<String, List<String>> entries() {
        return entries;
    }

    /** How strongly this (positive) Principal element names {@code p}. */
    public Match match(RequestPrincipal p) {
        if (everyone) {
            return Match.DIRECT;
        }
        switch (p.kind()) {
            case SERVICE:
                return serviceAll || services.contains(p.raw().toLowerCase(Locale.ROOT)) ? Match.DIRECT : Match.NONE;
            case FEDERATED_PROVIDER:
                return federatedAll || federated.contains(p.raw()) || federated.contains(p.raw().toLowerCase(Locale.ROOT))
                        || exactArns.contains(p.raw()) ? Match.DIRECT : Match.NONE;
            case CANONICAL_USER:
                return canonical.contains(p.raw()) ? Match.DIRECT : Match.NONE;
            case ANONYMOUS:
                return awsAll ? Match.DIRECT : Match.NONE;
            case UNKNOWN:
                return awsAll || exactArns.contains(p.raw()) ? Match.DIRECT : Match.NONE;
            default:
                break;
        }
        if (awsAll || exactArns.contains(p.raw())) {
            return Match.DIRECT;
        }
        if (p.kind() == RequestPrincipal.Kind.ASSUMED_ROLE && roleListed(p)) {
            return Match.LIMITED;
        }
        if (p.kind() == RequestPrincipal.Kind.FEDERATED_USER) {
            for (UserRef u : users) {
                if (u.account.equals(p.account()) && u.name.equals(p.name())) {
                    return Match.LIMITED;
                }
            }
        }
        if (p.account() != null && accounts.contains(p.account())) {
            return Match.ACCOUNT;
        }
        return Match.NONE;
    }

    /**
     * Whether a {@code NotPrincipal} element exempts {@code p} from its Deny. Following the
     * NotPrincipal documentation (AWS "validates the account first, then the user"; for a role
     * session "the account first, then the role"), an IAM identity is exempt only when every link
     * of its chain is listed: the account, and the user / the role / the federated-user session.
     * Naming only the user, or only the account, leaves the Deny in force.
     */
    public boolean exempts(RequestPrincipal p) {
        if (everyone) {
            return true;
        }
        switch (p.kind()) {
            case SERVICE:
                return serviceAll || services.contains(p.raw().toLowerCase(Locale.ROOT));
            case FEDERATED_PROVIDER:
                return federatedAll || federated.contains(p.raw()) || exactArns.contains(p.raw());
            case CANONICAL_USER:
                return canonical.contains(p.raw());
            case ANONYMOUS:
                return awsAll;
            case UNKNOWN:
                return awsAll || exactArns.contains(p.raw());
            default:
                break;
        }
        if (awsAll) {
            return true;
        }
        boolean accountListed = p.account() != null && accounts.contains(p.account());
        return switch (p.kind()) {
            case ROOT -> accountListed;
            case USER, FEDERATED_USER -> accountListed && exactArns.contains(p.raw());
            case ASSUMED_ROLE, ROLE -> accountListed && roleListed(p);
            default -> false;
        };
    }

    private boolean roleListed(RequestPrincipal p) {
        for (RoleRef r : roles) {
            if (r.arn.equals(p.roleArn()) || (r.account.equals(p.account()) && r.name.equals(p.name()))) {
                return true;
            }
        }
        return false;
    }

    /** What follows the last '/' (a user's or role's name after its path). */
    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
