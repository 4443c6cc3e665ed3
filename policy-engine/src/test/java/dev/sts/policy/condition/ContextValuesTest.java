package dev.sts.policy.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.sts.policy.RequestContext;
import dev.sts.policy.condition.ConditionOperator.Family;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Typed request values: {@link ContextValues#readableAs} accepts exactly what the operators of a
 * family can read. The formats are those of the IAM "Condition operators" page: numeric values
 * without exponent, W3C ISO 8601 dates (or epoch seconds), {@code true}/{@code false}, IPv4/IPv6
 * addresses (RFC 4632 ranges are for policies, a request carries one address), base-64 binary.
 */
class ContextValuesTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of(Family.NUMERIC, "42", true),
                Arguments.of(Family.NUMERIC, "-1.5", true),
                Arguments.of(Family.NUMERIC, "+3", true),
                Arguments.of(Family.NUMERIC, " 7 ", true),
                Arguments.of(Family.NUMERIC, "1e3", false),
                Arguments.of(Family.NUMERIC, "NaN", false),
                Arguments.of(Family.NUMERIC, "1.2.3", false),
                Arguments.of(Family.NUMERIC, "forty", false),
                Arguments.of(Family.NUMERIC, "", false),
                Arguments.of(Family.DATE, "2019-04-25T11:00:00Z", true),
                Arguments.of(Family.DATE, "2019-04-25T11:00:00+02:00", true),
                Arguments.of(Family.DATE, "2019-04-25", true),
                Arguments.of(Family.DATE, "1556190000", true),
                Arguments.of(Family.DATE, "2019", true),
                Arguments.of(Family.DATE, "2019-13-01", false),
                Arguments.of(Family.DATE, "yesterday", false),
                Arguments.of(Family.DATE, "", false),
                Arguments.of(Family.BOOL, "true", true),
                Arguments.of(Family.BOOL, "FALSE", true),
                Arguments.of(Family.BOOL, " true ", true),
                Arguments.of(Family.BOOL, "yes", false),
                Arguments.of(Family.BOOL, "1", false),
                Arguments.of(Family.BOOL, "", false),
                Arguments.of(Family.IP_ADDRESS, "203.0.113.7", true),
                Arguments.of(Family.IP_ADDRESS, " 10.0.0.1 ", true),
                Arguments.of(Family.IP_ADDRESS, "2001:db8::1", true),
                Arguments.of(Family.IP_ADDRESS, "203.0.113.0/24", false),
                Arguments.of(Family.IP_ADDRESS, "256.1.1.1", false),
                Arguments.of(Family.IP_ADDRESS, "example.com", false),
                Arguments.of(Family.IP_ADDRESS, "", false),
                Arguments.of(Family.BINARY, "QmluYXJ5", true),
                Arguments.of(Family.BINARY, " QmluYXJ5 ", true),
                Arguments.of(Family.BINARY, "not base64!", false),
                Arguments.of(Family.STRING, "", true),
                Arguments.of(Family.STRING, "anything at all", true),
                Arguments.of(Family.ARN, "not-an-arn", true),
                Arguments.of(Family.NULL, "x", true));
    }

    @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
    @MethodSource("vectors")
    void readable(Family family, String value, boolean expected) {
        assertThat(ContextValues.readableAs(family, value)).isEqualTo(expected);
    }

    /**
     * The point of the class: it agrees with the evaluator. A value is readable exactly when some
     * positive operator of the family, with policy values covering everything, matches it.
     * (BinaryEquals is left out on purpose: it compares text that is not base-64 as is.)
     */
    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("vectors")
    void agreesWithTheOperators(Family family, String value, boolean expected) {
        List<ConditionClause> coverAll = switch (family) {
            case NUMERIC -> List.of(clause("NumericGreaterThanEquals", "0"), clause("NumericLessThan", "0"));
            case DATE -> List.of(clause("DateGreaterThanEquals", "1970-01-01T00:00:00Z"),
                    clause("DateLessThan", "1970-01-01T00:00:00Z"));
            case BOOL -> List.of(clause("Bool", "true"), clause("Bool", "false"));
            case IP_ADDRESS -> List.of(clause("IpAddress", "0.0.0.0/0", "::/0"));
            default -> List.of();
        };
        if (coverAll.isEmpty()) {
            return;
        }
        RequestContext ctx = RequestContext.builder().put("test:Key", value).build();
        boolean someMatches = coverAll.stream().anyMatch(c -> c.evaluate(ctx));
        assertThat(ContextValues.readableAs(family, value)).isEqualTo(someMatches);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void noValueIsNeverReadable(Family family) {
        assertThat(ContextValues.readableAs(family, null)).isFalse();
    }

    @Test
    void theFamilyIsRequired() {
        assertThatNullPointerException().isThrownBy(() -> ContextValues.readableAs(null, "1"));
    }

    private static ConditionClause clause(String operator, String... values) {
        return ConditionClause.compile(ConditionOperator.parse(operator), "test:Key", List.of(values), true);
    }
}
