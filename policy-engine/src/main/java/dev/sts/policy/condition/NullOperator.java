package dev.sts.policy.condition;

import java.util.List;

/**
 * {@code Null}: {@code true} holds when the key is absent from the request context (an empty
 * multi-valued key counts as absent: it resolves to an empty data set), {@code false} when it is
 * present. Several policy values are ORed. No policy variables.
 */
final class NullOperator {

    private NullOperator() {
    }

    /** Compiles the policy values: bit 0 = "true" listed (absent holds), bit 1 = "false" listed (present holds). */
    static int compile(List<String> policyValues) {
        int bits = 0;
        for (String v : policyValues) {
            String t = v.trim();
            if (t.equalsIgnoreCase("true")) {
                bits |= 1;
            } else if (t.equalsIgnoreCase("false")) {
                bits |= 2;
            }
        }
        return bits;
    }

    /** Evaluates the compiled Null test for one key. */
    static boolean test(int bits, boolean present) {
        return (bits & (present ? 2 : 1)) != 0;
    }
}
