package dev.sts.policy.condition;

import dev.sts.policy.match.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One operator applied to one key with its policy values, e.g.
 * {@code "StringEquals": {"aws:PrincipalTag/team": ["red", "blue"]}}.
 *
 * <p>Semantics, after the IAM documentation (Condition operators; multivalued context keys):
 * <ul>
 *   <li>values of one key are ORed; for a negated operator (StringNotEquals, NotIpAddress, ...)
 *       the request value must match none of them (NOR);</li>
 *   <li>a key absent from the request: false, except true for negated operators, true for
 *       {@code ...IfExists}; Null tests presence itself;</li>
 *   <li>{@code ForAllValues:} true when every request value passes (also when the key is absent
 *       or empty); {@code ForAnyValue:} true when at least one does (false when absent or empty,
 *       unless IfExists);</li>
 *   <li>without a qualifier a multi-valued key passes a positive operator when any of its values
 *       matches, and a negated one when none does.</li>
 * </ul>
 */
public final class ConditionClause {

    private final ConditionOperator operator;
    private final String key;
    private final String lowerKey;
    private final List<String> policyValues;
    private final ValueMatcher matcher;
    private final int nullBits;

    private ConditionClause(ConditionOperator operator, String key, List<String> policyValues, ValueMatcher matcher) {
        this.operator = operator;
        this.key = key;
        this.lowerKey = key.toLowerCase(Locale.ROOT);
        this.policyValues = List.copyOf(policyValues);
        this.matcher = matcher;
        this.nullBits = operator.family() == ConditionOperator.Family.NULL ? NullOperator.compile(policyValues) : 0;
    }

    /** Compiles a clause; {@code variables} tells whether the policy Version enables variables. */
    public static ConditionClause compile(ConditionOperator op, String key, List<String> values, boolean variables) {
        boolean subst = variables && op.supportsVariables();
        List<Template> templates = new ArrayList<>(values.size());
        for (String v : values) {
            templates.add(Template.parse(v, subst));
        }
        ValueMatcher m = switch (op.family()) {
            case STRING -> StringOperators.compile(op.base(), templates);
            case NUMERIC -> NumericOperators.compile(op.base(), values);
            case DATE -> DateOperators.compile(op.base(), values);
            case BOOL -> BoolOperator.compile(templates);
            case BINARY -> BinaryOperator.compile(values);
            case IP_ADDRESS -> IpAddressOperators.compile(values);
            case ARN -> ArnOperators.compile(templates);
            case NULL -> null;
        };
        return new ConditionClause(op, key, values, m);
    }

    public ConditionOperator operator() {
        return operator;
    }

    public String key() {
        return key;
    }

    public List<String> policyValues() {
        return policyValues;
    }

    public boolean evaluate(ConditionContext ctx) {
        List<String> values = ctx.values(lowerKey);
        boolean present = values != null && !values.isEmpty();
        if (operator.family() == ConditionOperator.Family.NULL) {
            return NullOperator.test(nullBits, present);
        }
        switch (operator.qualifier()) {
            case FOR_ALL_VALUES: {
                if (!present) {
                    return true;
                }
                for (int i = 0, n = values.size(); i < n; i++) {
                    if (!passes(values.get(i), ctx)) {
                        return false;
                    }
                }
                return true;
            }
            case FOR_ANY_VALUE: {
                if (!present) {
                    return operator.ifExists();
                }
                for (int i = 0, n = values.size(); i < n; i++) {
                    if (passes(values.get(i), ctx)) {
                        return true;
                    }
                }
                return false;
            }
            default: {
                if (!present) {
                    return operator.ifExists() || operator.negated();
                }
                boolean any = false;
                for (int i = 0, n = values.size(); i < n && !any; i++) {
                    any = matcher.matches(values.get(i), ctx);
                }
                return operator.negated() != any;
            }
        }
    }

    /** One request value under a set qualifier: matches any policy value, or none if negated. */
    private boolean passes(String value, ConditionContext ctx) {
        return operator.negated() != matcher.matches(value, ctx);
    }

    /** Why this clause is false for the request (for the decision trace). */
    public String explainFailure(ConditionContext ctx) {
        List<String> values = ctx.values(lowerKey);
        StringBuilder sb = new StringBuilder();
        sb.append(operator.name()).append(' ').append(key).append(": ");
        boolean present = values != null && !values.isEmpty();
        if (operator.family() == ConditionOperator.Family.NULL) {
            sb.append(present ? "key is present with " + quote(values) : "key is absent")
                    .append(", policy expects Null ").append(quote(policyValues));
            return sb.toString();
        }
        if (!present) {
            sb.append("key is absent from the request");
            if (operator.qualifier() == SetQualifier.FOR_ANY_VALUE) {
                sb.append(" (ForAnyValue needs at least one value)");
            }
            return sb.toString();
        }
        sb.append("request value ").append(quote(values));
        if (operator.qualifier() == SetQualifier.FOR_ALL_VALUES) {
            sb.append(operator.negated() ? " has a value matching one of " : " has a value matching none of ");
        } else if (operator.negated()) {
            sb.append(" matches one of ");
        } else {
            sb.append(" matches none of ");
        }
        sb.append(quote(policyValues));
        return sb.toString();
    }

    private static String quote(List<String> vs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < vs.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(vs.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return operator.name() + " " + key + " " + policyValues;
    }
}
