package dev.sts.policy;

import dev.sts.policy.match.Template;
import dev.sts.policy.match.VariableSource;
import dev.sts.policy.match.Wildcard;
import java.util.List;

/**
 * A statement's {@code Resource} or {@code NotResource}: ARNs (or {@code *}) matched
 * case-sensitively. Wildcards stay inside an ARN field unless they end it, as the IAM Resource
 * documentation describes; in the resource part (after the fifth colon) they match anything.
 * Policy variables (Version 2012-10-17) are substituted per request and matched literally.
 */
public final class ResourceBlock {

    private final boolean not;
    private final List<String> patterns;
    private final Object[] compiled; // Wildcard, or Template when it has variables

    /**
     * @param patterns  the values as written (what {@link #patterns()} reports)
     * @param effective what is matched, index by index: the same values, except that an incomplete
     *                  ARN of an identity-based policy is completed with {@code *} fields
     */
    ResourceBlock(boolean not, List<String> patterns, List<String> effective, boolean variables) {
        this.not = not;
        this.patterns = List.copyOf(patterns);
        this.compiled = new Object[effective.size()];
        for (int i = 0; i < compiled.length; i++) {
            Template t = Template.parse(effective.get(i), variables);
            Template.Resolved r = t.staticResolved();
            compiled[i] = r == null ? t : r.toBuilder().buildArnAware(false);
        }
    }

    public boolean isNot() {
        return not;
    }

    /** The values as written in the policy (before an incomplete ARN is completed). */
    public List<String> patterns() {
        return patterns;
    }

    boolean covers(String resource, VariableSource vars) {
        return not != listed(resource, vars);
    }

    private boolean listed(String resource, VariableSource vars) {
        for (Object c : compiled) {
            if (c instanceof Wildcard w) {
                if (w.matches(resource)) {
                    return true;
                }
            } else {
                Template.Resolved r = ((Template) c).resolve(vars);
                if (r != null && r.toBuilder().buildArnAware(false).matches(resource)) {
                    return true;
                }
            }
        }
        return false;
    }
}
