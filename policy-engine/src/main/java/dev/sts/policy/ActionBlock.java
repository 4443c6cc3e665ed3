package dev.sts.policy;

import dev.sts.policy.match.Wildcard;
import java.util.List;

/**
 * A statement's {@code Action} or {@code NotAction}: {@code service:action} patterns, matched
 * case-insensitively (without allocating), with {@code *} and {@code ?} wildcards.
 */
public final class ActionBlock {

    private final boolean not;
    private final List<String> patterns;
    private final Wildcard[] compiled;
    private final boolean any;
    /**
     * The lower-case service prefixes of all patterns, when every pattern has a literal prefix
     * ({@code s3:Get*}, not {@code *} or {@code *:Get*}); a request for any other service cannot
     * be listed, which settles most statements with a string comparison or two. Null otherwise.
     */
    private final String[] services;

    ActionBlock(boolean not, List<String> patterns) {
        this.not = not;
        this.patterns = List.copyOf(patterns);
        this.compiled = new Wildcard[patterns.size()];
        boolean all = false;
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = Wildcard.compile(patterns.get(i), true);
            all |= compiled[i].matchesEverything();
        }
        this.any = all;
        String[] svc = new String[patterns.size()];
        for (int i = 0; i < svc.length; i++) {
            String p = patterns.get(i);
            int colon = p.indexOf(':');
            String prefix = colon <= 0 ? null : p.substring(0, colon);
            if (prefix == null || prefix.indexOf('*') >= 0 || prefix.indexOf('?') >= 0) {
                svc = null;
                break;
            }
            svc[i] = prefix.toLowerCase(java.util.Locale.ROOT);
        }
        this.services = svc;
    }

    /** The lower-case service prefix of an action ("s3" for "S3:GetObject"), or "" when it has none. */
    static String serviceOf(String action) {
        int colon = action.indexOf(':');
        return colon <= 0 ? "" : action.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    }

    /** True for {@code NotAction}. */
    public boolean isNot() {
        return not;
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether the statement covers the action (any case). */
    /** {@code service} is {@link #serviceOf(String) serviceOf(action)}, computed once per request. */
    boolean covers(String action, String service) {
        return not != listed(action, service);
    }

    private boolean listed(String action, String service) {
        if (any) {
            return true;
        }
        if (services != null) {
            boolean possible = false;
            for (String s : services) {
                if (s.equals(service)) {
                    possible = true;
                    break;
                }
            }
            if (!possible) {
                return false;
            }
        }
        for (Wildcard w : compiled) {
            if (w.matches(action)) {
                return true;
            }
        }
        return false;
    }
}
