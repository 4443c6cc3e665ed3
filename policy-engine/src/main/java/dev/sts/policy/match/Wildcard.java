package dev.sts.policy.match;

import java.util.Arrays;

/**
 * A compiled {@code *}/{@code ?} pattern. Matching never backtracks more than one star deep:
 * patterns whose stars all match any character run the classic greedy two-pointer algorithm
 * (worst case O(n·m), no exponential blow-up on {@code *a*a*a*...b}); patterns that mix
 * colon-bounded stars (ARN segments) run a position-set simulation, also O(n·m).
 *
 * <p>Token kinds: a literal character, {@code *} (any run), {@code *} bounded to one ARN segment
 * (no {@code :}), {@code ?} (any one character) and {@code ?} bounded to one segment.
 */
public final class Wildcard {

    static final byte LITERAL = 0;
    static final byte STAR = 1;
    static final byte SEGMENT_STAR = 2;
    static final byte ONE = 3;
    static final byte SEGMENT_ONE = 4;

    private enum Mode { EXACT, ANY, PREFIX, SUFFIX, GREEDY, SIMULATE }

    private static final Wildcard MATCH_ALL = new Wildcard(new char[] {'*'}, new byte[] {STAR}, false);

    private final char[] chars;
    private final byte[] kinds;
    private final boolean ignoreCase;
    private final Mode mode;
    private final String literal; // for EXACT / PREFIX / SUFFIX

    private Wildcard(char[] chars, byte[] kinds, boolean ignoreCase) {
        if (ignoreCase) {
            // compare in lower case: the pattern is lowered once here, input characters on the fly
            chars = chars.clone();
            for (int i = 0; i < chars.length; i++) {
                chars[i] = lower(chars[i]);
            }
        }
        this.chars = chars;
        this.kinds = kinds;
        this.ignoreCase = ignoreCase;
        int stars = 0;
        int wild = 0;
        boolean bounded = false;
        for (byte k : kinds) {
            if (k != LITERAL) {
                wild++;
            }
            if (k == STAR || k == SEGMENT_STAR) {
                stars++;
            }
            if (k == SEGMENT_STAR) {
                bounded = true;
            }
        }
        int n = kinds.length;
        if (wild == 0) {
            mode = Mode.EXACT;
            literal = new String(chars);
        } else if (n > 0 && wild == n && stars == n && !bounded) {
            mode = Mode.ANY;
            literal = null;
        } else if (wild == 1 && kinds[n - 1] == STAR) {
            mode = Mode.PREFIX;
            literal = new String(chars, 0, n - 1);
        } else if (wild == 1 && kinds[0] == STAR) {
            mode = Mode.SUFFIX;
            literal = new String(chars, 1, n - 1);
        } else if (!bounded) {
            mode = Mode.GREEDY;
            literal = null;
        } else {
            mode = Mode.SIMULATE;
            literal = null;
        }
    }

    /** Matches everything. */
    public static Wildcard matchAll() {
        return MATCH_ALL;
    }

    /** A pattern where every {@code *} and {@code ?} is a wildcard that may match any character. */
    public static Wildcard compile(String pattern, boolean ignoreCase) {
        Builder b = new Builder(pattern.length());
        b.pattern(pattern, false);
        return b.build(ignoreCase);
    }

    /** A pattern with no wildcards at all (the text is matched literally). */
    public static Wildcard literal(String text, boolean ignoreCase) {
        Builder b = new Builder(text.length());
        b.literal(text);
        return b.build(ignoreCase);
    }

    /** True when the pattern has no wildcard token. */
    public boolean isLiteral() {
        return mode == Mode.EXACT;
    }

    /** True when the pattern matches every input. */
    public boolean matchesEverything() {
        return mode == Mode.ANY;
    }

    public boolean matches(String s) {
        return matches(s, 0, s.length());
    }

    /** Matches the region {@code s[from, to)}. */
    public boolean matches(String s, int from, int to) {
        int len = to - from;
        switch (mode) {
            case ANY:
                return true;
            case EXACT:
                return len == literal.length() && region(s, from, literal.length());
            case PREFIX:
                return len >= literal.length() && region(s, from, literal.length());
            case SUFFIX:
                return len >= literal.length() && region(s, to - literal.length(), literal.length());
            case GREEDY:
                return greedy(s, from, to);
            default:
                return simulate(s, from, to);
        }
    }

    /** Lower-cases ASCII cheaply; other characters through {@link Character#toLowerCase(char)}. */
    public static char lower(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(c);
    }

    /** Compares {@code s[from, from+n)} with the literal (already lower case when ignoring case). */
    private boolean region(String s, int from, int n) {
        String lit = literal;
        if (!ignoreCase) {
            return s.regionMatches(from, lit, 0, n);
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(from + i);
            char pc = lit.charAt(i);
            if (c != pc && lower(c) != pc) {
                return false;
            }
        }
        return true;
    }

    private boolean one(int p, char c) {
        switch (kinds[p]) {
            case LITERAL: {
                char pc = chars[p];
                return pc == c || (ignoreCase && lower(c) == pc);
            }
            case ONE:
                return true;
            case SEGMENT_ONE:
                return c != ':';
            default:
                return false;
        }
    }

    /** Greedy matching with a single remembered star: correct when every star matches anything. */
    private boolean greedy(String s, int from, int to) {
        final int m = kinds.length;
        int p = 0;
        int i = from;
        int starP = -1;
        int starI = from;
        while (i < to) {
            if (p < m && kinds[p] == STAR) {
                starP = p++;
                starI = i;
            } else if (p < m && one(p, s.charAt(i))) {
                p++;
                i++;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < m && kinds[p] == STAR) {
            p++;
        }
        return p == m;
    }

    /** Position-set simulation for patterns mixing bounded and unbounded stars. */
    private boolean simulate(String s, int from, int to) {
        final int m = kinds.length;
        boolean[] cur = new boolean[m + 1];
        boolean[] next = new boolean[m + 1];
        cur[0] = true;
        close(cur);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            Arrays.fill(next, false);
            boolean any = false;
            for (int p = 0; p < m; p++) {
                if (!cur[p]) {
                    continue;
                }
                byte k = kinds[p];
                if (k == STAR || (k == SEGMENT_STAR && c != ':')) {
                    next[p] = true;
                    any = true;
                } else if (k != STAR && k != SEGMENT_STAR && one(p, c)) {
                    next[p + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
            close(next);
            boolean[] t = cur;
            cur = next;
            next = t;
        }
        return cur[m];
    }

    private void close(boolean[] set) {
        for (int p = 0; p < kinds.length; p++) {
            if (set[p] && (kinds[p] == STAR || kinds[p] == SEGMENT_STAR)) {
                set[p + 1] = true;
            }
        }
    }

    @Override
    public String toString() {
        return new String(chars);
    }

    /** Assembles a pattern from pieces: wildcard text, literal text (e.g. substituted variables). */
    public static final class Builder {
        private char[] chars;
        private byte[] kinds;
        private int n;

        public Builder(int capacity) {
            chars = new char[Math.max(4, capacity)];
            kinds = new byte[chars.length];
        }

        private void add(char c, byte k) {
            if (n == chars.length) {
                chars = Arrays.copyOf(chars, n * 2);
                kinds = Arrays.copyOf(kinds, n * 2);
            }
            chars[n] = c;
            kinds[n] = k;
            n++;
        }

        /** Appends text whose {@code *} and {@code ?} are wildcards. */
        public Builder pattern(String text, boolean segmentBounded) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '*') {
                    add(c, segmentBounded ? SEGMENT_STAR : STAR);
                } else if (c == '?') {
                    add(c, segmentBounded ? SEGMENT_ONE : ONE);
                } else {
                    add(c, LITERAL);
                }
            }
            return this;
        }

        /** Appends text matched literally. */
        public Builder literal(String text) {
            for (int i = 0; i < text.length(); i++) {
                add(text.charAt(i), LITERAL);
            }
            return this;
        }

        public Builder wildcard(char c, boolean segmentBounded) {
            if (c == '*') {
                add(c, segmentBounded ? SEGMENT_STAR : STAR);
            } else {
                add(c, segmentBounded ? SEGMENT_ONE : ONE);
            }
            return this;
        }

        public Builder literal(char c) {
            add(c, LITERAL);
            return this;
        }

        public Wildcard build(boolean ignoreCase) {
            return new Wildcard(Arrays.copyOf(chars, n), Arrays.copyOf(kinds, n), ignoreCase);
        }

        /**
         * Builds a resource-element pattern: wildcards in the first five ARN fields stay inside
         * their field unless they are the last character of it (the IAM documentation: "if the *
         * wildcard is the last character of a resource ARN segment, it can expand to match beyond
         * the colon boundaries"); wildcards in the resource part match anything.
         */
        public Wildcard buildArnAware(boolean ignoreCase) {
            int colons = 0;
            for (int i = 0; i < n; i++) {
                byte k = kinds[i];
                if (k == LITERAL) {
                    if (chars[i] == ':') {
                        colons++;
                    }
                    continue;
                }
                if (colons >= 5) {
                    kinds[i] = (k == SEGMENT_STAR) ? STAR : (k == SEGMENT_ONE ? ONE : k);
                    continue;
                }
                boolean star = k == STAR || k == SEGMENT_STAR;
                if (star) {
                    boolean lastOfSegment = i + 1 == n || (kinds[i + 1] == LITERAL && chars[i + 1] == ':');
                    kinds[i] = lastOfSegment ? STAR : SEGMENT_STAR;
                } else {
                    kinds[i] = SEGMENT_ONE;
                }
            }
            return build(ignoreCase);
        }
    }
}
