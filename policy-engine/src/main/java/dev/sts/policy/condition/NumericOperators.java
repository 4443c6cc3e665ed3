package dev.sts.policy.condition;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code NumericEquals}, {@code NumericNotEquals}, {@code NumericLessThan[Equals]},
 * {@code NumericGreaterThan[Equals]}: integers or decimals. A value that is not a number (in the
 * policy or in the request) never matches. No policy variables.
 */
final class NumericOperators {

    private NumericOperators() {
    }

    static ValueMatcher compile(String base, List<String> values) {
        BigDecimal[] nums = new BigDecimal[values.size()];
        for (int i = 0; i < nums.length; i++) {
            nums[i] = parse(values.get(i));
        }
        Comparison cmp = Comparison.of(base.substring("Numeric".length()));
        return (value, vars) -> {
            BigDecimal v = parse(value);
            if (v == null) {
                return false;
            }
            for (BigDecimal p : nums) {
                if (p != null && cmp.test(v.compareTo(p))) {
                    return true;
                }
            }
            return false;
        };
    }

    static BigDecimal parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.isEmpty() || t.length() > 100) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c < '0' || c > '9') && c != '-' && c != '+' && c != '.') {
                return null; // no exponents, no "NaN" / "Infinity"
            }
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The comparison encoded in an operator's suffix, applied to {@code request.compareTo(policy)}. */
    enum Comparison {
        EQUALS, LESS, LESS_EQUALS, GREATER, GREATER_EQUALS;

        static Comparison of(String suffix) {
            return switch (suffix) {
                case "Equals", "NotEquals" -> EQUALS; // NotEquals is Equals, negated by the clause
                case "LessThan" -> LESS;
                case "LessThanEquals" -> LESS_EQUALS;
                case "GreaterThan" -> GREATER;
                case "GreaterThanEquals" -> GREATER_EQUALS;
                default -> throw new IllegalArgumentException(suffix);
            };
        }

        boolean test(int c) {
            return switch (this) {
                case EQUALS -> c == 0;
                case LESS -> c < 0;
                case LESS_EQUALS -> c <= 0;
                case GREATER -> c > 0;
                case GREATER_EQUALS -> c >= 0;
            };
        }
    }
}
