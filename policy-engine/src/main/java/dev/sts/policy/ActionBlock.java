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

    ActionBlock(boolean not, List<String> patterns) {
        this.not = not;
        this.patterns = List.copyOf(patterns);
        this.compiled = new Wildcard[patterns.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = Wildcard.compile(patterns.get(i), true);
        }
    }

    /** True for {@code NotAction}. */
    public boolean isNot() {
        return not;
    }

    /** The patterns as written. */
    public List<String> patterns() {
        return patterns;
    }

    boolean covers(String action) {
        return not != listed(action);
    }

    private boolean listed(String action) {
        for (Wildcard w : compiled) {
            if (w.matches(action)) {
                return true;
            }
        }
        return false;
    }
}
