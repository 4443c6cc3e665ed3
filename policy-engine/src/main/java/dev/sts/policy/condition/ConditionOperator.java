package dev.sts.policy.condition;

import java.util.List;
import java.util.Map;

/**
 * A parsed condition operator name: {@code [ForAllValues:|ForAnyValue:]Base[IfExists]}. Names
 * are case-sensitive, as IAM spells them.
 */
public record ConditionOperator(String name, SetQualifier qualifier, String base, Family family,
                                boolean negated, boolean ifExists) {

    /** Operator families; each has its own file in this package. */
    public enum Family { STRING, NUMERIC, DATE, BOOL, BINARY, IP_ADDRESS, ARN, NULL }

    private record Spec(Family family, boolean negated) {
    }

    private static final Map<String, Spec> BASES = Map.ofEntries(
            Map.entry("StringEquals", new Spec(Family.STRING, false)),
            Map.entry("StringNotEquals", new Spec(Family.STRING, true)),
            Map.entry("StringEqualsIgnoreCase", new Spec(Family.STRING, false)),
            Map.entry("StringNotEqualsIgnoreCase", new Spec(Family.STRING, true)),
            Map.entry("StringLike", new Spec(Family.STRING, false)),
            Map.entry("StringNotLike", new Spec(Family.STRING, true)),
            Map.entry("NumericEquals", new Spec(Family.NUMERIC, false)),
            Map.entry("NumericNotEquals", new Spec(Family.NUMERIC, true)),
            Map.entry("NumericLessThan", new Spec(Family.NUMERIC, false)),
            Map.entry("NumericLessThanEquals", new Spec(Family.NUMERIC, false)),
            Map.entry("NumericGreaterThan", new Spec(Family.NUMERIC, false)),
            Map.entry("NumericGreaterThanEquals", new Spec(Family.NUMERIC, false)),
            Map.entry("DateEquals", new Spec(Family.DATE, false)),
            Map.entry("DateNotEquals", new Spec(Family.DATE, true)),
            Map.entry("DateLessThan", new Spec(Family.DATE, false)),
            Map.entry("DateLessThanEquals", new Spec(Family.DATE, false)),
            Map.entry("DateGreaterThan", new Spec(Family.DATE, false)),
            Map.entry("DateGreaterThanEquals", new Spec(Family.DATE, false)),
            Map.entry("Bool", new Spec(Family.BOOL, false)),
            Map.entry("BinaryEquals", new Spec(Family.BINARY, false)),
            Map.entry("IpAddress", new Spec(Family.IP_ADDRESS, false)),
            Map.entry("NotIpAddress", new Spec(Family.IP_ADDRESS, true)),
            Map.entry("ArnEquals", new Spec(Family.ARN, false)),
            Map.entry("ArnLike", new Spec(Family.ARN, false)),
            Map.entry("ArnNotEquals", new Spec(Family.ARN, true)),
            Map.entry("ArnNotLike", new Spec(Family.ARN, true)),
            Map.entry("Null", new Spec(Family.NULL, false)));

    /** All base operator names (without qualifier or IfExists), for messages and generators. */
    public static List<String> baseNames() {
        return BASES.keySet().stream().sorted().toList();
    }

    /** Parses an operator name; null when it is not an IAM condition operator. */
    public static ConditionOperator parse(String name) {
        String rest = name;
        SetQualifier q = SetQualifier.NONE;
        if (rest.startsWith(SetQualifier.FOR_ALL_VALUES.prefix())) {
            q = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring(q.prefix().length());
        } else if (rest.startsWith(SetQualifier.FOR_ANY_VALUE.prefix())) {
            q = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring(q.prefix().length());
        }
        boolean ifExists = false;
        Spec spec = BASES.get(rest);
        String base = rest;
        if (spec == null && rest.endsWith("IfExists")) {
            base = rest.substring(0, rest.length() - "IfExists".length());
            spec = BASES.get(base);
            ifExists = true;
            if (spec != null && spec.family() == Family.NULL) {
                return null; // "You can add IfExists to any condition operator except Null"
            }
        }
        if (spec == null) {
            return null;
        }
        if (q != SetQualifier.NONE && spec.family() == Family.NULL) {
            return null; // Null tests existence; a set qualifier has no meaning on it
        }
        return new ConditionOperator(name, q, base, spec.family(), spec.negated(), ifExists);
    }

    /** Whether policy variables are substituted in this operator's values (String, ARN, Bool). */
    public boolean supportsVariables() {
        return family == Family.STRING || family == Family.ARN || family == Family.BOOL;
    }
}
