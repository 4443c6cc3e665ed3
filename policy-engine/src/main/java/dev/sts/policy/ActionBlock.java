package dev.sts.policy;

import dev.sts.policy.match.Wildcard;
import java.util.List;
import java.util.Locale;

/**
 * A statement's {@code Action} or {@code NotAction}: {@code service:action} patterns, matched
 * case-insensitively, with {@code *} and {@code ?} wildcards. Patterns are lower-cased once at
 * compile time; the evaluator lower-cases the request action once per request.
 */
public final class ActionBlock {

    private final boolean not;
    private final List<String> patterns;
    private final Wildcard[] compiled;
    private final boolean any;

    ActionBlock(boolean not, List<String> patterns) {
        this.not = not;
        this.patterns = List.copyOf(patterns);
        this.compiled = new Wildcard[patterns.size()];
        boolean all = false;
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = Wildcard.compile(patterns.get(i).toLowerCase(Locale.ROOT), false);
            all |= compiled[i].matchesEverything();
        }
        this.any = all;
    }

    /** True for {@code NotAction}. */
    public boolean isNot() {
        return not;
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether the statement covers {@code lowerAction} (already lower case). */
    boolean covers(String lowerAction) {
        return not != listed(lowerAction);
    }

    private boolean listed(String lowerAction) {
        if (any) {
            return true;
        }
        for (Wildcard w : compiled) {
            if (w.matches(lowerAction)) {
                return true;
            }
        }
        return false;
    }
}
