package dev.sts.policy.match;

/**
 * ARN matching for the {@code Arn*} condition operators: "each of the six colon-delimited
 * components of the ARN is checked separately and each can include * and ? wildcards". The sixth
 * component is the rest of the ARN, colons included. A pattern with fewer than six components
 * matches only if its last component ends with {@code *}, which then covers the remaining
 * components (so {@code "*"} and {@code "arn:aws:*"} behave as expected).
 */
public final class ArnPattern {

    private static final int FIELDS = 6;

    private final Wildcard[] segments;
    private final boolean openEnded;
    private final String text;

    private ArnPattern(Wildcard[] segments, boolean openEnded, String text) {
        this.segments = segments;
        this.openEnded = openEnded;
        this.text = text;
    }

    public static ArnPattern compile(String pattern) {
        return fromParts(pattern, null);
    }

    /**
     * Compiles a pattern given as pieces; {@code literalMask[i]} marks characters that must be
     * matched literally (substituted policy variables). {@code literalMask} may be null.
     */
    public static ArnPattern fromParts(String pattern, boolean[] literalMask) {
        int[] bounds = split(pattern);
        int count = bounds.length - 1;
        Wildcard[] segs = new Wildcard[Math.min(count, FIELDS)];
        for (int i = 0; i < segs.length; i++) {
            int from = i == 0 ? 0 : bounds[i] + 1;
            int to = bounds[i + 1];
            Wildcard.Builder b = new Wildcard.Builder(to - from);
            for (int j = from; j < to; j++) {
                char c = pattern.charAt(j);
                if ((c == '*' || c == '?') && (literalMask == null || !literalMask[j])) {
                    b.wildcard(c, false);
                } else {
                    b.literal(c);
                }
            }
            segs[i] = b.build(false);
        }
        boolean openEnded = false;
        if (segs.length < FIELDS) {
            int lastEnd = bounds[bounds.length - 1];
            openEnded = lastEnd > 0 && pattern.charAt(lastEnd - 1) == '*'
                    && (literalMask == null || !literalMask[lastEnd - 1]);
        }
        return new ArnPattern(segs, openEnded, pattern);
    }

    /** Boundaries: -1-based positions of the first five colons, then the string length. */
    private static int[] split(String s) {
        int[] tmp = new int[FIELDS + 1];
        int k = 0;
        tmp[k++] = -1;
        int from = 0;
        while (k < FIELDS) {
            int c = s.indexOf(':', from);
            if (c < 0) {
                break;
            }
            tmp[k++] = c;
            from = c + 1;
        }
        tmp[k++] = s.length();
        int[] out = new int[k];
        System.arraycopy(tmp, 0, out, 0, k);
        // Express as: out[0] = 0-based "previous colon" sentinel handled by the caller.
        out[0] = 0;
        return out;
    }

    public boolean matches(String value) {
        int segs = segments.length;
        int start = 0;
        for (int i = 0; i < segs; i++) {
            boolean last = i == segs - 1;
            int end;
            if (last && (segs == FIELDS || openEnded)) {
                end = value.length();
            } else {
                end = value.indexOf(':', start);
                if (end < 0) {
                    if (last && segs < FIELDS) {
                        // The pattern ran out of fields while the value also has no more colons:
                        // only a complete (non-ARN) comparison of the last field remains.
                        end = value.length();
                    } else {
                        return false;
                    }
                }
            }
            if (!segments[i].matches(value, start, end)) {
                return false;
            }
            start = end + 1;
            if (last && end < value.length() && segs < FIELDS && !openEnded) {
                return false; // value has more fields than a closed short pattern
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
