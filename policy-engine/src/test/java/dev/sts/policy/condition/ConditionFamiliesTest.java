package dev.sts.policy.condition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operator families in isolation: one clause against a small context. */
class ConditionFamiliesTest {

    private static final class Ctx implements ConditionContext {
        final Map<String, List<String>> values = new HashMap<>();
        final Map<String, Boolean> multi = new HashMap<>();

        Ctx put(String k, String v) {
            values.put(k.toLowerCase(Locale.ROOT), List.of(v));
            return this;
        }

        Ctx putMulti(String k, String... v) {
            values.put(k.toLowerCase(Locale.ROOT), List.of(v));
            multi.put(k.toLowerCase(Locale.ROOT), true);
            return this;
        }

        @Override
        public List<String> values(String lowerKey) {
            return values.get(lowerKey);
        }

        @Override
        public String singleValue(String lowerKey) {
            List<String> v = values.get(lowerKey);
            return v == null || multi.containsKey(lowerKey) || v.size() != 1 ? null : v.get(0);
        }
    }

    private static boolean eval(String op, String key, List<String> values, Ctx ctx) {
        ConditionOperator o = ConditionOperator.parse(op);
        assertThat(o).as(op).isNotNull();
        return ConditionClause.compile(o, key, values, true).evaluate(ctx);
    }

    @Test
    void operatorNames() {
        ConditionOperator o = ConditionOperator.parse("ForAllValues:StringNotLikeIfExists");
        assertThat(o.qualifier()).isEqualTo(SetQualifier.FOR_ALL_VALUES);
        assertThat(o.base()).isEqualTo("StringNotLike");
        assertThat(o.negated()).isTrue();
        assertThat(o.ifExists()).isTrue();
        assertThat(o.family()).isEqualTo(ConditionOperator.Family.STRING);
        assertThat(ConditionOperator.parse("stringequals")).isNull();
        assertThat(ConditionOperator.parse("StringEqualz")).isNull();
        assertThat(ConditionOperator.parse("NullIfExists")).isNull();
        assertThat(ConditionOperator.parse("ForAnyValue:")).isNull();
        assertThat(ConditionOperator.parse("BinaryEqualsIfExists").ifExists()).isTrue();
        assertThat(ConditionOperator.baseNames()).hasSize(27);
        // policy variables: String, ARN and Bool values only (IAM policy elements: Policy variables)
        assertThat(ConditionOperator.parse("StringLike").supportsVariables()).isTrue();
        assertThat(ConditionOperator.parse("ArnLike").supportsVariables()).isTrue();
        assertThat(ConditionOperator.parse("Bool").supportsVariables()).isTrue();
        assertThat(ConditionOperator.parse("NumericEquals").supportsVariables()).isFalse();
        assertThat(ConditionOperator.parse("DateLessThan").supportsVariables()).isFalse();
        assertThat(ConditionOperator.parse("IpAddress").supportsVariables()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "IpAddress, 10.0.0.0/8, 10.255.255.255, true",
        "IpAddress, 10.0.0.0/8, 11.0.0.0, false",
        "IpAddress, 0.0.0.0/0, 1.2.3.4, true",
        "IpAddress, 203.0.113.7/24, 203.0.113.200, true",
        "IpAddress, 2001:db8::/32, 2001:0db8:ffff::1, true",
        "IpAddress, 2001:db8::/32, 2001:db9::1, false",
        "IpAddress, ::/0, ::1, true",
        "IpAddress, ::ffff:10.0.0.0/104, ::ffff:10.1.2.3, true",
        "IpAddress, fe80::1, FE80:0:0:0:0:0:0:1, true",
        "IpAddress, 10.0.0.0/33, 10.0.0.1, false",
        "IpAddress, 10.0.0, 10.0.0.0, false",
        "IpAddress, 10.0.0.0/8, 10.0.0.0/8, false",
        "IpAddress, 10.0.0.0/8, 010.1.1.1.1, false",
        "IpAddress, 1:2:3:4:5:6:7:8:9/64, 1:2:3:4::1, false",
        "NotIpAddress, 10.0.0.0/8, 192.168.0.1, true",
        "NotIpAddress, 10.0.0.0/8, 10.0.0.1, false",
        "NotIpAddress, 10.0.0.0/8, garbage, true",
        // every octet counts (RFC 4632 prefixes), including 255 and a /32 host
        "IpAddress, 192.168.0.0/16, 192.168.1.1, true",
        "IpAddress, 192.168.0.0/16, 192.169.1.1, false",
        "IpAddress, 10.0.0.255/32, 10.0.0.255, true",
        "IpAddress, 10.0.0.0/29, 10.0.0.7, true",
        "IpAddress, 10.0.0.0/29, 10.0.0.8, false",
        "IpAddress, 0.0.0.0/0, 0.0.0.0, true",
        // a dotted quad has four decimal octets of at most three digits (as inet_pton reads it),
        // and a prefix length is decimal digits only
        "IpAddress, 10.0.0.0/8, 0010.0.0.1, false",
        "IpAddress, 10.0.0.0/8, 10.0.0, false",
        "IpAddress, 10.0.0.0/+8, 10.0.0.1, false",
        "IpAddress, 0010.0.0.0/8, 10.0.0.1, false",
        // surrounding whitespace is not part of an address, in the request as in the policy
        "IpAddress, 10.0.0.0/8, ' 10.0.0.1', true",
        "IpAddress, 10.0.0.0/8, '10.0.0.1 ', true",
        "IpAddress, ' 10.0.0.0/8 ', 10.0.0.1, true",
        // IPv6 (RFC 4291 text forms): hex groups, '::' for one or more zero groups, a prefix that
        // ends inside a byte, a dotted IPv4 tail
        "IpAddress, 2001:db8::/32, 1001:db8::1, false",
        "IpAddress, 2001:db8::/31, 2001:db9::1, true",
        "IpAddress, 2001:db8::/31, 2001:dba::1, false",
        "IpAddress, 2001:db8::1/128, 2001:db8::1, true",
        "IpAddress, 2001:db8::1/128, 2001:db8::2, false",
        "IpAddress, ::1, ::1, true",
        "IpAddress, ::1/128, ::2, false",
        "IpAddress, fe80::1200:1/128, fe80::3400:1, false",
        "IpAddress, 1:2:3:4:5:6::8, 1:2:3:4:5:6:0:8, true",
        "IpAddress, 1:2:3:4::5:6:7:8, 1:2:3:4:5:6:7:8, false",
        "IpAddress, 1::2::3, 1:0:2:0:0:0:0:3, false",
        "IpAddress, 1:::3, 1::3, false",
        "IpAddress, ::ffff:10.0.0.0/104, ::ffff:11.0.0.1, false",
        "IpAddress, ::ffff:10.1.2.3/128, ::ffff:10.1.2.3, true",
        "IpAddress, ::ffff:10.1.2.3/128, ::ffff:10.2.2.3, false",
        "IpAddress, ::ffff:10.1.2.3/128, ::ffff:10.1.3.3, false",
        "IpAddress, ::ffff:10.1.2.3/128, ::ffff:10.1.2.4, false",
    })
    void ipAddresses(String op, String cidr, String address, boolean expected) {
        assertThat(eval(op, "aws:SourceIp", List.of(cidr), new Ctx().put("aws:SourceIp", address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2024, 2024-01-01T00:00:00Z",
        "2024-06, 2024-06-01T00:00:00Z",
        "2024-06-05, 2024-06-05T00:00:00Z",
        "2024-06-05T12:30Z, 2024-06-05T12:30:00Z",
        "2024-06-05T12:30:15Z, 2024-06-05T12:30:15Z",
        "2024-06-05T12:30:15.25Z, 2024-06-05T12:30:15.250Z",
        "2024-06-05T12:30:15+02:00, 2024-06-05T10:30:15Z",
        "2024-06-05T12:30:15-05:30, 2024-06-05T18:00:15Z",
        "2024-06-05T12:30:15, 2024-06-05T12:30:15Z",
        "1717590615, 2024-06-05T12:30:15Z",
        "1717590615.5, 2024-06-05T12:30:15.500Z",
        "0, 1970-01-01T00:00:00Z",
        "1999, 1999-01-01T00:00:00Z",
        // RFC 3339 5.6: "T" and "Z" may alternatively be lower case
        "2024-06-05T12:30:15z, 2024-06-05T12:30:15Z",
        "-1.5, 1969-12-31T23:59:58.500Z",
    })
    void dates(String text, String instant) {
        assertThat(DateOperators.parse(text)).isEqualTo(Instant.parse(instant));
    }

    @Test
    void badDates() {
        for (String s : List.of("", "yesterday", "2024-13-01", "2024-06-05T25:00:00Z", "12:00", "1e9", "-", ".", "-123",
                "1.2.3", "2024-06-05T12:30:15+25:00")) {
            assertThat(DateOperators.parse(s)).as(s).isNull();
        }
    }

    /**
     * Bool: "Boolean matching", true or false, without regard to case (README; e.g. the
     * aws:SecureTransport example of the Condition operators page). Anything else never matches.
     */
    @ParameterizedTest(name = "Bool {0} against \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            true        | true      | true
            true        | TRUE      | true
            true        | ' true'   | true
            true        | 'true '   | true
            true        | false     | false
            true        | yes       | false
            true        | ''        | false
            true        | trues     | false
            false       | false     | true
            false       | ' False ' | true
            false       | ' false'  | true
            false       | true      | false
            false       | fals      | false
            false       | 1         | false
            true,false  | false     | true
            true,false  | true      | true
            true,false  | no        | false
            """)
    void bools(String policyValues, String requestValue, boolean expected) {
        assertThat(eval("Bool", "aws:SecureTransport", List.of(policyValues.split(",")),
                new Ctx().put("aws:SecureTransport", requestValue))).isEqualTo(expected);
    }

    /** Bool takes policy variables; a substituted value that is not true/false matches nothing. */
    @Test
    void boolWithAVariable() {
        List<String> tagged = List.of("${aws:PrincipalTag/mfa}");
        assertThat(eval("Bool", "aws:MultiFactorAuthPresent", tagged,
                new Ctx().put("aws:PrincipalTag/mfa", "true").put("aws:MultiFactorAuthPresent", "TRUE"))).isTrue();
        assertThat(eval("Bool", "aws:MultiFactorAuthPresent", tagged,
                new Ctx().put("aws:PrincipalTag/mfa", "true").put("aws:MultiFactorAuthPresent", "false"))).isFalse();
        assertThat(eval("Bool", "aws:MultiFactorAuthPresent", tagged,
                new Ctx().put("aws:PrincipalTag/mfa", "maybe").put("aws:MultiFactorAuthPresent", "maybe"))).isFalse();
        assertThat(eval("Bool", "aws:MultiFactorAuthPresent", tagged, new Ctx().put("aws:MultiFactorAuthPresent", "true")))
                .isFalse();
        assertThat(eval("Bool", "aws:MultiFactorAuthPresent", tagged, new Ctx().put("aws:PrincipalTag/mfa", "true")))
                .isFalse();
    }

    /** Greater/less than are strict, the ...Equals forms are not (Condition operators: Numeric, Date). */
    @ParameterizedTest(name = "{0} {1} vs request {2} -> {3}")
    @CsvSource({
        "NumericGreaterThan, 9, 9, false",
        "NumericGreaterThan, 9, 19, true",
        "NumericGreaterThanEquals, 9, 9, true",
        "NumericLessThan, 90, 90, false",
        "NumericLessThan, 90, 89, true",
        "NumericLessThanEquals, 90, 90, true",
        "NumericLessThanEquals, 90, 91, false",
        "NumericEquals, 0.9, .9, true",
        "NumericEquals, 9, 9e0, false",
        "DateGreaterThan, 2024-06-05T12:00:00Z, 2024-06-05T12:00:00Z, false",
        "DateGreaterThan, 2024-06-05T12:00:00Z, 2024-06-05T12:00:01Z, true",
        "DateGreaterThanEquals, 2024-06-05T12:00:00Z, 2024-06-05T12:00:00Z, true",
        "DateLessThan, 2024-06-05T12:00:00Z, 2024-06-05T12:00:00Z, false",
        "DateNotEquals, 2024-06-05T12:00:00Z, 1717588800, false",
    })
    void strictAndInclusiveComparisons(String op, String policyValue, String requestValue, boolean expected) {
        assertThat(eval(op, "k", List.of(policyValue), new Ctx().put("k", requestValue))).isEqualTo(expected);
    }

    /** The trace explains a failed clause in words (README: TraceEntry.detail()). */
    @Test
    void failuresAreExplained() {
        Ctx tagged = new Ctx().put("aws:PrincipalTag/env", "dev").putMulti("aws:TagKeys", "env", "owner");
        assertThat(explain("Null", "aws:PrincipalTag/env", List.of("true"), tagged))
                .isEqualTo("Null aws:PrincipalTag/env: key is present with [\"dev\"], policy expects Null [\"true\"]");
        assertThat(explain("Null", "aws:PrincipalTag/team", List.of("false"), tagged))
                .isEqualTo("Null aws:PrincipalTag/team: key is absent, policy expects Null [\"false\"]");
        assertThat(explain("ForAnyValue:StringEquals", "aws:RequestTag/x", List.of("a"), tagged))
                .isEqualTo("ForAnyValue:StringEquals aws:RequestTag/x: key is absent from the request"
                        + " (ForAnyValue needs at least one value)");
        assertThat(explain("StringEquals", "aws:RequestTag/x", List.of("a"), tagged))
                .isEqualTo("StringEquals aws:RequestTag/x: key is absent from the request");
        assertThat(explain("ForAllValues:StringEquals", "aws:TagKeys", List.of("env"), tagged))
                .isEqualTo("ForAllValues:StringEquals aws:TagKeys: request value [\"env\", \"owner\"] has a value matching none of [\"env\"]");
        assertThat(explain("ForAllValues:StringNotEquals", "aws:TagKeys", List.of("owner"), tagged))
                .isEqualTo("ForAllValues:StringNotEquals aws:TagKeys: request value [\"env\", \"owner\"] has a value matching one of [\"owner\"]");
        assertThat(explain("StringNotEquals", "aws:PrincipalTag/env", List.of("dev"), tagged))
                .isEqualTo("StringNotEquals aws:PrincipalTag/env: request value [\"dev\"] matches one of [\"dev\"]");
    }

    private static String explain(String op, String key, List<String> values, Ctx ctx) {
        ConditionClause c = ConditionClause.compile(ConditionOperator.parse(op), key, values, true);
        assertThat(c.evaluate(ctx)).as("the clause must fail").isFalse();
        return c.explainFailure(ctx);
    }

    @Test
    void numbers() {
        assertThat(eval("NumericEquals", "k", List.of("1.50"), new Ctx().put("k", "1.5"))).isTrue();
        assertThat(eval("NumericGreaterThan", "k", List.of("1e3"), new Ctx().put("k", "5000"))).isFalse();
        assertThat(eval("NumericLessThan", "k", List.of("10"), new Ctx().put("k", "NaN"))).isFalse();
        assertThat(eval("NumericNotEquals", "k", List.of("x"), new Ctx().put("k", "1"))).isTrue();
        assertThat(eval("NumericGreaterThanEquals", "k", List.of("99999999999999999999"), new Ctx().put("k", "100000000000000000000"))).isTrue();
    }

    @Test
    void setQualifiersOnMissingAndEmptyKeys() {
        Ctx empty = new Ctx().putMulti("aws:TagKeys");
        Ctx none = new Ctx();
        assertThat(eval("ForAllValues:StringEquals", "aws:TagKeys", List.of("a"), empty)).isTrue();
        assertThat(eval("ForAllValues:StringEquals", "aws:TagKeys", List.of("a"), none)).isTrue();
        assertThat(eval("ForAnyValue:StringEquals", "aws:TagKeys", List.of("a"), empty)).isFalse();
        assertThat(eval("ForAnyValue:StringEquals", "aws:TagKeys", List.of("a"), none)).isFalse();
        assertThat(eval("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", List.of("a"), none)).isTrue();
        assertThat(eval("ForAllValues:StringNotEquals", "aws:TagKeys", List.of("a"), new Ctx().putMulti("aws:TagKeys", "b", "c"))).isTrue();
        assertThat(eval("ForAllValues:StringNotEquals", "aws:TagKeys", List.of("a"), new Ctx().putMulti("aws:TagKeys", "b", "a"))).isFalse();
        assertThat(eval("ForAnyValue:StringNotEquals", "aws:TagKeys", List.of("a"), new Ctx().putMulti("aws:TagKeys", "a", "a"))).isFalse();
        assertThat(eval("StringNotEquals", "aws:TagKeys", List.of("a"), new Ctx().putMulti("aws:TagKeys", "b", "a"))).isFalse();
        assertThat(eval("StringNotEquals", "aws:TagKeys", List.of("a"), empty)).isTrue();
        assertThat(eval("StringEquals", "aws:TagKeys", List.of("a"), empty)).isFalse();
        assertThat(eval("Null", "aws:TagKeys", List.of("true"), empty)).isTrue();
        assertThat(eval("Null", "aws:TagKeys", List.of("true", "false"), new Ctx().putMulti("aws:TagKeys", "x"))).isTrue();
    }

    @Test
    void variablesOnlyWhereIamAllowsThem() {
        Ctx ctx = new Ctx().put("aws:username", "alice").put("k", "alice").put("b", "true").put("n", "5").put("aws:lim", "5");
        assertThat(eval("StringEquals", "k", List.of("${aws:username}"), ctx)).isTrue();
        assertThat(eval("StringLike", "k", List.of("${aws:username}*"), ctx)).isTrue();
        assertThat(eval("StringLike", "k", List.of("${aws:username}x*"), ctx)).isFalse();
        assertThat(eval("StringLike", "k", List.of("${aws:missing}*"), ctx)).isFalse();
        assertThat(eval("StringEqualsIgnoreCase", "k", List.of("${aws:missing, 'ALICE'}"), ctx)).isTrue();
        assertThat(eval("Bool", "b", List.of("${aws:missing, 'true'}"), ctx)).isTrue();
        assertThat(eval("NumericEquals", "n", List.of("${aws:lim}"), ctx)).isFalse();
        // an unresolvable variable matches nothing: the negated operator then holds
        assertThat(eval("StringEquals", "k", List.of("${aws:missing}"), ctx)).isFalse();
        assertThat(eval("StringNotEquals", "k", List.of("${aws:missing}"), ctx)).isTrue();
    }

    @Test
    void binary() {
        Ctx ctx = new Ctx().put("k", "QmluYXJ5VmFsdWU=");
        assertThat(eval("BinaryEquals", "k", List.of("QmluYXJ5VmFsdWU="), ctx)).isTrue();
        assertThat(eval("BinaryEquals", "k", List.of("QmluYXJ5VmFsdWU"), ctx)).isTrue(); // same bytes, no padding
        assertThat(eval("BinaryEquals", "k", List.of("T3RoZXI="), ctx)).isFalse();
        assertThat(eval("BinaryEquals", "k", List.of("not base64!"), new Ctx().put("k", "not base64!"))).isTrue();
    }

    @Test
    void failureExplanations() {
        Ctx ctx = new Ctx().put("aws:PrincipalTag/env", "prod");
        ConditionClause c = ConditionClause.compile(ConditionOperator.parse("StringEquals"), "aws:PrincipalTag/env",
                List.of("dev", "test"), true);
        assertThat(c.evaluate(ctx)).isFalse();
        assertThat(c.explainFailure(ctx)).isEqualTo(
                "StringEquals aws:PrincipalTag/env: request value [\"prod\"] matches none of [\"dev\", \"test\"]");
        assertThat(c.explainFailure(new Ctx())).isEqualTo("StringEquals aws:PrincipalTag/env: key is absent from the request");
        ConditionClause n = ConditionClause.compile(ConditionOperator.parse("StringNotEquals"), "aws:PrincipalTag/env",
                List.of("prod"), true);
        assertThat(n.explainFailure(ctx)).isEqualTo(
                "StringNotEquals aws:PrincipalTag/env: request value [\"prod\"] matches one of [\"prod\"]");
    }
}
