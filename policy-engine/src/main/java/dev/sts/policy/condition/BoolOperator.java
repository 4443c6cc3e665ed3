package dev.sts.policy.condition;

import dev.sts.policy.match.Template;
import java.util.List;

/**
 * {@code Bool}: compares {@code true}/{@code false}, without regard to case. Policy variables are
 * substituted (IAM lists Bool among the operators that accept them).
 */
final class BoolOperator {

    private BoolOperator() {
    }

    static ValueMatcher compile(List<Template> values) {
        return (value, vars) -> {
            if (value == null) {
                return false;
            }
            String v = value.trim();
            for (Template t : values) {
                Template.Resolved r = t.resolve(vars);
                if (r != null && isBoolean(r.text()) && r.text().trim().equalsIgnoreCase(v)) {
                    return true;
                }
            }
            return false;
        };
    }

    static boolean isBoolean(String s) {
        String t = s.trim();
        return t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false");
    }
}
