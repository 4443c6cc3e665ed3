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
        boolean dynamic = values.stream().anyMatch(Template::hasVariables);
        if (!dynamic) {
            // the usual case, precomputed: which of true / false the policy lists
            boolean wantTrue = false;
            boolean wantFalse = false;
            for (Template t : values) {
                String v = t.staticResolved().text().trim();
                wantTrue |= v.equalsIgnoreCase("true");
                wantFalse |= v.equalsIgnoreCase("false");
            }
            boolean acceptTrue = wantTrue;
            boolean acceptFalse = wantFalse;
            return (value, vars) -> {
                int b = parse(value);
                return b == 1 ? acceptTrue : b == 0 && acceptFalse;
            };
        }
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

    /** 1 for true, 0 for false (any case, surrounding spaces allowed), -1 otherwise. */
    static int parse(String s) {
        if (s == null) {
            return -1;
        }
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) <= ' ') {
            i++;
        }
        while (n > i && s.charAt(n - 1) <= ' ') {
            n--;
        }
        if (n - i == 4 && s.regionMatches(true, i, "true", 0, 4)) {
            return 1;
        }
        if (n - i == 5 && s.regionMatches(true, i, "false", 0, 5)) {
            return 0;
        }
        return -1;
    }

    static boolean isBoolean(String s) {
        String t = s.trim();
        return t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false");
    }
}
