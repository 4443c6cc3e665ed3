package dev.sts.policy.condition;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code BinaryEquals}: the policy holds base-64; the request value (also base-64 text in a
 * context) is compared byte for byte after decoding. Text that is not base-64 is compared as is.
 */
final class BinaryOperator {

    private BinaryOperator() {
    }

    static ValueMatcher compile(List<String> values) {
        byte[][] decoded = new byte[values.size()][];
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = decode(values.get(i));
        }
        return (value, vars) -> {
            byte[] v = decode(value);
            for (int i = 0; i < decoded.length; i++) {
                if (v != null && decoded[i] != null) {
                    if (Arrays.equals(v, decoded[i])) {
                        return true;
                    }
                } else if (values.get(i).equals(value)) {
                    return true;
                }
            }
            return false;
        };
    }

    static byte[] decode(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
