package dev.sts.policy.condition;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code DateEquals}, {@code DateNotEquals}, {@code DateLessThan[Equals]},
 * {@code DateGreaterThan[Equals]}. Values are W3C ISO 8601 dates ({@code 2024}, {@code 2024-06},
 * {@code 2024-06-01}, {@code 2024-06-01T12:00Z}, {@code 2024-06-01T12:00:00Z},
 * {@code 2024-06-01T12:00:00.123+02:00}) or epoch seconds; a date or time without a zone is UTC.
 * An unparseable value never matches. No wildcards, no policy variables.
 */
final class DateOperators {

    private DateOperators() {
    }

    static ValueMatcher compile(String base, List<String> values) {
        Instant[] dates = new Instant[values.size()];
        for (int i = 0; i < dates.length; i++) {
            dates[i] = parse(values.get(i));
        }
        NumericOperators.Comparison cmp = NumericOperators.Comparison.of(base.substring("Date".length()));
        return (value, vars) -> {
            Instant v = parse(value);
            if (v == null) {
                return false;
            }
            for (Instant p : dates) {
                if (p != null && cmp.test(v.compareTo(p))) {
                    return true;
                }
            }
            return false;
        };
    }

    static Instant parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        if (isEpoch(t)) {
            try {
                BigDecimal secs = new BigDecimal(t);
                long whole = secs.longValue();
                int nanos = secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
                return null;
            }
        }
        try {
            if (t.length() == 4 && allDigits(t)) {
                return LocalDate.of(Integer.parseInt(t), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.length() == 7 && t.charAt(4) == '-') {
                return YearMonth.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            String u = t.replace(' ', 'T');
            if (u.endsWith("z")) {
                u = u.substring(0, u.length() - 1) + "Z";
            }
            if (hasZone(u)) {
                return OffsetDateTime.parse(u, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            return LocalDateTime.parse(u, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    /**
     * Epoch seconds: an optional '-', then digits with at most one '.'. Text without a digit
     * ("-", ".") passes here and fails in {@link BigDecimal}, as it would as a date.
     */
    private static boolean isEpoch(String t) {
        boolean dot = false;
        for (int i = t.startsWith("-") ? 1 : 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        // a bare four-digit number is a year in ISO 8601, not an epoch second
        return !(t.length() == 4 && !dot);
    }

    private static boolean allDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasZone(String u) {
        if (u.endsWith("Z")) {
            return true;
        }
        int tIdx = u.indexOf('T');
        if (tIdx < 0) {
            return false;
        }
        String time = u.substring(tIdx);
        return time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }
}
