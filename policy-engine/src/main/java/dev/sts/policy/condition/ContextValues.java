package dev.sts.policy.condition;

import java.util.Objects;

/**
 * Whether a request-context value is one that the condition operators of a family can read, with
 * exactly the parsers those operators use. For callers that accept typed context values, as
 * SimulatePrincipalPolicy's {@code ContextEntry} with its {@code ContextKeyType} ({@code numeric},
 * {@code date}, {@code ip}, ...): a value rejected here would never satisfy a positive operator of
 * that family, so refusing it up front tells the caller about the typo instead of reporting a
 * silent implicit deny.
 */
public final class ContextValues {

    private ContextValues() {
    }

    /**
     * True when the operators of {@code family} can read {@code value} as a request value:
     * <ul>
     *   <li>NUMERIC: a decimal number without exponent ({@code 42}, {@code -1.5});</li>
     *   <li>DATE: an ISO 8601 date or date-time, or epoch seconds;</li>
     *   <li>BOOL: {@code true} or {@code false}, in any case;</li>
     *   <li>IP_ADDRESS: one IPv4 or IPv6 address (a request carries an address, not a range);</li>
     *   <li>BINARY: base-64 text;</li>
     *   <li>STRING, ARN, NULL: any text.</li>
     * </ul>
     * Surrounding whitespace is tolerated where the operators tolerate it.
     */
    public static boolean readableAs(ConditionOperator.Family family, String value) {
        Objects.requireNonNull(family, "family");
        if (value == null) {
            return false;
        }
        return switch (family) {
            case NUMERIC -> NumericOperators.parse(value) != null;
            case DATE -> DateOperators.parse(value) != null;
            case BOOL -> BoolOperator.parse(value) >= 0;
            case IP_ADDRESS -> IpAddressOperators.Cidr.parse(value, false) != null;
            case BINARY -> BinaryOperator.decode(value) != null;
            case STRING, ARN, NULL -> true;
        };
    }
}
