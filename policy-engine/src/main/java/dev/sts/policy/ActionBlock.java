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
     * ({@code s3:Get*}, not {@code *} or {@code *:Get*}): a request for any other service cannot
     * be listed. {@link Policy} indexes statements by these, so most statements are settled by
     * one lookup per policy. Null otherwise.
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

    /**
     * The lower-case services this block can only ever cover, or null when it may cover any
     * service (NotAction, {@code *}, a wildcard in a service prefix).
     */
    String[] servicesOrNull() {
        return not || any ? null : services;
    }

    /** True for {@code NotAction}. */
    public boolean isNot() {
        return not;
    }

    /** The patterns as written. */
    public List<String> patterns() {
        return patterns;
    }

    /** The length of an action's service prefix ("s3" in "S3:GetObject"), or -1 when it has none. */
    static int serviceLength(String action) {
        int colon = action.indexOf(':');
        return colon <= 0 ? -1 : colon;
    }

    /** {@code serviceLength} is {@link #serviceLength(String) serviceLength(action)}, computed once per request. */
    boolean covers(String action, int serviceLength) {
        return not != listed(action, serviceLength);
    }

    private boolean listed(String action, int serviceLength) {
        if (any) {
            return true;
        }
        for (Wildcard w : compiled) {
            if (w.matches(action)) {
                return true;
            }
        }
        return false;
    }
}
