package dev.sts.policy.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy string that may contain policy variables: {@code ${aws:username}}, a default
 * ({@code ${aws:PrincipalTag/team, 'none'}}, with {@code ''} for a quote inside it) and the
 * fixed escapes {@code ${*}}, {@code ${?}}, {@code ${$}}. Substituted text is always matched
 * literally; wildcards only come from the policy's own text. One pass, no recursion: a value
 * that itself looks like {@code ${...}} is not substituted again.
 *
 * <p>Under Version 2008-10-17 (or no Version) nothing is substituted: the string is plain text.
 */
public final class Template {

    private static final byte TEXT = 0;
    private static final byte ESCAPE = 1;
    private static final byte VARIABLE = 2;

    private final String raw;
    private final byte[] kinds;
    private final String[] texts;     // TEXT: text, ESCAPE: the char, VARIABLE: lower-case key
    private final String[] defaults;  // VARIABLE: default or null
    private final boolean hasVariables;
    private final Resolved staticResolved; // when there are no variables

    private Template(String raw, List<Byte> kinds, List<String> texts, List<String> defaults) {
        this.raw = raw;
        this.kinds = new byte[kinds.size()];
        boolean vars = false;
        for (int i = 0; i < this.kinds.length; i++) {
            this.kinds[i] = kinds.get(i);
            vars |= this.kinds[i] == VARIABLE;
        }
        this.texts = texts.toArray(new String[0]);
        this.defaults = defaults.toArray(new String[0]);
        this.hasVariables = vars;
        // without variables the source is never consulted
        this.staticResolved = vars ? null : resolve(null);
    }

    /** Parses {@code raw}; with {@code variables == false} the text is taken as is. */
    public static Template parse(String raw, boolean variables) {
        List<Byte> kinds = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        if (!variables || raw.indexOf("${") < 0) {
            kinds.add(TEXT);
            texts.add(raw);
            defaults.add(null);
            return new Template(raw, kinds, texts, defaults);
        }
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '$' && i + 1 < n && raw.charAt(i + 1) == '{') {
                int[] end = new int[1];
                String[] parsed = parseVariable(raw, i + 2, end);
                if (parsed != null) {
                    // the text so far (an empty piece is harmless)
                    kinds.add(TEXT);
                    texts.add(text.toString());
                    defaults.add(null);
                    text.setLength(0);
                    String key = parsed[0];
                    if (parsed[1] == null && (key.equals("*") || key.equals("?") || key.equals("$"))) {
                        kinds.add(ESCAPE);
                        texts.add(key);
                        defaults.add(null);
                    } else {
                        kinds.add(VARIABLE);
                        texts.add(key.toLowerCase(Locale.ROOT));
                        defaults.add(parsed[1]);
                    }
                    i = end[0];
                    continue;
                }
            }
            text.append(c);
            i++;
        }
        kinds.add(TEXT);
        texts.add(text.toString());
        defaults.add(null);
        return new Template(raw, kinds, texts, defaults);
    }

    /**
     * Parses {@code key}, or {@code key, 'default'} up to the closing brace; returns
     * {key, default-or-null} and the index after the brace, or null when the syntax is not a
     * variable (the characters are then kept as literal text).
     */
    private static String[] parseVariable(String s, int from, int[] end) {
        int n = s.length();
        int i = from;
        StringBuilder key = new StringBuilder();
        while (i < n && s.charAt(i) != '}' && s.charAt(i) != ',') {
            key.append(s.charAt(i));
            i++;
        }
        if (i >= n) {
            return null;
        }
        String k = key.toString().trim();
        if (k.isEmpty() || containsWhitespace(k)) {
            return null;
        }
        if (s.charAt(i) == '}') {
            end[0] = i + 1;
            return new String[] {k, null};
        }
        // default value
        i++;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n || s.charAt(i) != '\'') {
            return null;
        }
        i++;
        StringBuilder def = new StringBuilder();
        boolean closed = false;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                if (i + 1 < n && s.charAt(i + 1) == '\'') {
                    def.append('\'');
                    i += 2;
                    continue;
                }
                closed = true;
                i++;
                break;
            }
            def.append(c);
            i++;
        }
        if (!closed) {
            return null;
        }
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n || s.charAt(i) != '}') {
            return null;
        }
        end[0] = i + 1;
        return new String[] {k, def.toString()};
    }

    private static boolean containsWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    public String raw() {
        return raw;
    }

    public boolean hasVariables() {
        return hasVariables;
    }

    /** The resolution when the template has no variables (escapes already applied); else null. */
    public Resolved staticResolved() {
        return staticResolved;
    }

    /** The keys of the variables used, lower case. */
    public List<String> variableKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == VARIABLE) {
                keys.add(texts[i]);
            }
        }
        return keys;
    }

    /** Substitutes the variables; null when a variable has neither a value nor a default. */
    public Resolved resolve(VariableSource source) {
        if (staticResolved != null) {
            return staticResolved;
        }
        String[] pieces = new String[kinds.length];
        int length = 0;
        for (int i = 0; i < kinds.length; i++) {
            String piece = kinds[i] == VARIABLE ? valueOf(i, source) : texts[i];
            if (piece == null) {
                return null;
            }
            pieces[i] = piece;
            length += piece.length();
        }
        StringBuilder sb = new StringBuilder(length);
        // true where the character came from a substitution or an escape
        boolean[] literal = new boolean[length];
        for (int i = 0; i < pieces.length; i++) {
            if (kinds[i] != TEXT) {
                java.util.Arrays.fill(literal, sb.length(), sb.length() + pieces[i].length(), true);
            }
            sb.append(pieces[i]);
        }
        return new Resolved(sb.toString(), literal);
    }

    /** The value of variable {@code i}: the source's single value, else its default (maybe null). */
    private String valueOf(int i, VariableSource source) {
        String v = source.singleValue(texts[i]);
        return v != null ? v : defaults[i];
    }

    /** A substituted string and which of its characters must be matched literally. */
    public record Resolved(String text, boolean[] literal) {

        /** As a wildcard pattern (policy text wildcards active, substituted text literal). */
        public Wildcard.Builder toBuilder() {
            Wildcard.Builder b = new Wildcard.Builder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c == '*' || c == '?') && !literal[i]) {
                    b.wildcard(c, false);
                } else {
                    b.literal(c);
                }
            }
            return b;
        }
    }

    @Override
    public String toString() {
        return raw;
    }
}
