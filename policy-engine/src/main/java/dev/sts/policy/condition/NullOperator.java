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

    /** Evaluates the Null test for one key. */
    static boolean test(List<String> policyValues, boolean present) {
        for (String v : policyValues) {
            String t = v.trim();
            if (t.equalsIgnoreCase("true") && !present) {
                return true;
            }
            if (t.equalsIgnoreCase("false") && present) {
                return true;
            }
        }
        return false;
    }
}
