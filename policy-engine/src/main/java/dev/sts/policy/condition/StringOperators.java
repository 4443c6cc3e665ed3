package dev.sts.policy.condition;

import dev.sts.policy.match.Template;
import dev.sts.policy.match.VariableSource;
import dev.sts.policy.match.Wildcard;
import java.util.List;

/**
 * {@code StringEquals}, {@code StringEqualsIgnoreCase}, {@code StringLike} and their negations.
 * Equality is exact (case-sensitive unless IgnoreCase); Like supports {@code *} and {@code ?}
 * anywhere. Policy variables are substituted; substituted text is matched literally.
 */
final class StringOperators {

    private StringOperators() {
    }

    static ValueMatcher compile(String base, List<Template> values) {
        boolean like = base.endsWith("Like");
        boolean ignoreCase = base.endsWith("IgnoreCase");
        int n = values.size();
        Object[] compiled = new Object[n];
        for (int i = 0; i < n; i++) {
            Template t = values.get(i);
            Template.Resolved r = t.staticResolved();
            if (r == null) {
                compiled[i] = t; // resolved per request
            } else if (like) {
                compiled[i] = r.toBuilder().build(false);
            } else {
                compiled[i] = r.text();
            }
        }
        return (value, vars) -> {
            for (Object c : compiled) {
                if (c instanceof String s) {
                    if (ignoreCase ? s.equalsIgnoreCase(value) : s.equals(value)) {
                        return true;
                    }
                } else if (c instanceof Wildcard w) {
                    if (w.matches(value)) {
                        return true;
                    }
                } else if (matchTemplate((Template) c, value, vars, like, ignoreCase)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean matchTemplate(Template t, String value, VariableSource vars, boolean like,
                                         boolean ignoreCase) {
        Template.Resolved r = t.resolve(vars);
        if (r == null) {
            return false; // an unresolvable variable matches nothing
        }
        if (like) {
            return r.toBuilder().build(false).matches(value);
        }
        return ignoreCase ? r.text().equalsIgnoreCase(value) : r.text().equals(value);
    }
}
