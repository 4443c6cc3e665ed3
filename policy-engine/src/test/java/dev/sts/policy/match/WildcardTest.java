package dev.sts.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "s3:*, s3:getobject, true",
        "s3:get*, s3:getobject, true",
        "s3:get, s3:getobject, false",
        "*object, s3:getobject, true",
        "s3:*obj*t, s3:getobject, true",
        "s3:?etobject, s3:getobject, true",
        "s3:??tobject, s3:getobject, true",
        "report.txt?, report.txt, false",
        "a*b*c, abc, true",
        "a*b*c, acb, false",
        "*, '', true",
        "'', '', true",
        "?, '', false",
        "**, x, true",
        "a**?, ab, true",
        "*a, ba, true",
        "*a, ab, false",
    })
    void globSemantics(String pattern, String input, boolean expected) {
        assertThat(Wildcard.compile(pattern, false).matches(input)).isEqualTo(expected);
    }

    @Test
    void ignoreCase() {
        assertThat(Wildcard.compile("S3:Get*", true).matches("s3:getobject")).isTrue();
        assertThat(Wildcard.compile("S3:Get*", false).matches("s3:getobject")).isFalse();
        assertThat(Wildcard.compile("*OBJECT", true).matches("s3:getobject")).isTrue();
        assertThat(Wildcard.compile("s3:g?t*ECT", true).matches("S3:GETOBJect")).isTrue();
    }

    @Test
    void regionMatching() {
        Wildcard w = Wildcard.compile("b*", false);
        assertThat(w.matches("xxbcd:yy", 2, 5)).isTrue();
        assertThat(w.matches("xxbcd:yy", 1, 5)).isFalse();
    }

    @Test
    void literalSubstitutionIsNotAWildcard() {
        Wildcard w = new Wildcard.Builder(8).literal("a*").pattern("*", false).build(false);
        assertThat(w.matches("a*zzz")).isTrue();
        assertThat(w.matches("abzzz")).isFalse();
    }

    /** The resource-element rule: wildcards stay in their ARN field unless they end it. */
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "arn:aws:s3:::bucket/*, arn:aws:s3:::bucket/a/b:c, true",
        "arn:aws:ec2:*:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
        "arn:aws:ec2:us-*-1:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
        "arn:aws:ec2:us-*1:*:instance/*, arn:aws:ec2:us-east:x-1:111122223333:instance/i-1, false",
        "arn:aws:iam::*, arn:aws:iam::111122223333:user/alice, true",
        "arn:*, arn:aws:iam::111122223333:user/alice, true",
        "*, anything:at:all, true",
        "arn:aws:s3:::b?cket, arn:aws:s3:::bucket, true",
        "arn:aws:s?:::bucket, arn:aws:s3:::bucket, true",
        "arn:aws:sqs:*:111122223333:q, arn:aws:sqs:us-east-1:111122223333:q, true",
        "arn:aws:sqs:*:111122223333:q, arn:aws:sqs:us-east-1:999999999999:q, false",
    })
    void arnAwareResources(String pattern, String input, boolean expected) {
        Wildcard w = new Wildcard.Builder(pattern.length()).pattern(pattern, false).buildArnAware(false);
        assertThat(w.matches(input)).isEqualTo(expected);
    }

    @Test
    void agreesWithARegexOnRandomInputs() {
        Random rnd = new Random(42);
        char[] pat = {'a', 'b', ':', '*', '?'};
        char[] txt = {'a', 'b', ':'};
        for (int i = 0; i < 20_000; i++) {
            String p = random(rnd, pat, 8);
            String s = random(rnd, txt, 12);
            boolean expected = Pattern.compile(toRegex(p, false), Pattern.DOTALL).matcher(s).matches();
            assertThat(Wildcard.compile(p, false).matches(s)).as("%s ~ %s", p, s).isEqualTo(expected);
            boolean arnExpected = Pattern.compile(toRegex(p, true), Pattern.DOTALL).matcher(s).matches();
            assertThat(new Wildcard.Builder(8).pattern(p, false).buildArnAware(false).matches(s))
                    .as("arn-aware %s ~ %s", p, s).isEqualTo(arnExpected);
        }
    }

    /**
     * The same reference, now ignoring case (actions are matched case-insensitively) and matching
     * a region of a longer string, as ARN fields are matched in place.
     */
    @Test
    void agreesWithARegexIgnoringCaseAndOnRegions() {
        Random rnd = new Random(43);
        char[] pat = {'a', 'B', ':', '*', '?', 'x'};
        char[] txt = {'A', 'b', ':', 'x', 'X'};
        for (int i = 0; i < 20_000; i++) {
            String p = random(rnd, pat, 12);
            String s = random(rnd, txt, 14);
            String prefix = random(rnd, txt, 3);
            String padded = prefix + s + random(rnd, txt, 3);
            int from = prefix.length();
            int to = from + s.length();
            int flags = Pattern.DOTALL | Pattern.CASE_INSENSITIVE;
            boolean expected = Pattern.compile(toRegex(p, false), flags).matcher(s).matches();
            Wildcard plain = Wildcard.compile(p, true);
            assertThat(plain.matches(s)).as("%s ~i %s", p, s).isEqualTo(expected);
            assertThat(plain.matches(padded, from, to)).as("%s ~i %s in %s", p, s, padded).isEqualTo(expected);
            boolean caseSensitive = Pattern.compile(toRegex(p, false), Pattern.DOTALL).matcher(s).matches();
            assertThat(Wildcard.compile(p, false).matches(padded, from, to)).as("%s ~ %s in %s", p, s, padded)
                    .isEqualTo(caseSensitive);
            boolean arnExpected = Pattern.compile(toRegex(p, true), flags).matcher(s).matches();
            Wildcard arn = new Wildcard.Builder(2).pattern(p, false).buildArnAware(true);
            assertThat(arn.matches(s)).as("arn-aware %s ~i %s", p, s).isEqualTo(arnExpected);
            assertThat(arn.matches(padded, from, to)).as("arn-aware %s ~i %s in %s", p, s, padded).isEqualTo(arnExpected);
        }
    }

    @Test
    void caseFoldingCoversExactlyTheLetters() {
        // the ASCII neighbours of A-Z and a-z are not letters and must not fold
        assertThat(Wildcard.compile("@[`{", true).matches("@[`{")).isTrue();
        assertThat(Wildcard.compile("@", true).matches("`")).isFalse();
        assertThat(Wildcard.compile("[", true).matches("{")).isFalse();
        assertThat(Wildcard.compile("AZ", true).matches("az")).isTrue();
        assertThat(Wildcard.compile("az", true).matches("AZ")).isTrue();
        assertThat(Wildcard.compile("\u00c9t\u00c9", true).matches("\u00e9T\u00e9")).isTrue();
        assertThat(Wildcard.compile("\u00c9*", true).matches("\u00e9t\u00e9")).isTrue();
        assertThat(Wildcard.compile("\u00c9", false).matches("\u00e9")).isFalse();
        assertThat(Wildcard.lower('A')).isEqualTo('a');
        assertThat(Wildcard.lower('Z')).isEqualTo('z');
        assertThat(Wildcard.lower('@')).isEqualTo('@');
        assertThat(Wildcard.lower('[')).isEqualTo('[');
        assertThat(Wildcard.lower('\u00c9')).isEqualTo('\u00e9');
    }

    @Test
    void patternKindsAreReported() {
        assertThat(Wildcard.compile("s3:GetObject", false).isLiteral()).isTrue();
        assertThat(Wildcard.compile("s3:Get*", false).isLiteral()).isFalse();
        assertThat(Wildcard.literal("a*?", false).isLiteral()).isTrue();
        assertThat(Wildcard.literal("a*?", false).matches("a*?")).isTrue();
        assertThat(Wildcard.literal("a*?", false).matches("abc")).isFalse();
        assertThat(Wildcard.literal("A*", true).matches("a*")).isTrue();
        assertThat(Wildcard.compile("*", false).matchesEverything()).isTrue();
        assertThat(Wildcard.compile("**", false).matchesEverything()).isTrue();
        assertThat(Wildcard.compile("*?", false).matchesEverything()).isFalse();
        assertThat(Wildcard.compile("*?", false).matches("")).isFalse();
        assertThat(Wildcard.compile("", false).matchesEverything()).isFalse();
        assertThat(Wildcard.compile("", false).matches("")).isTrue();
        assertThat(Wildcard.compile("", false).matches("a")).isFalse();
        assertThat(new Wildcard.Builder(4).pattern("*", true).build(false).matchesEverything()).isFalse();
        assertThat(Wildcard.matchAll().matchesEverything()).isTrue();
        assertThat(Wildcard.matchAll().matches("anything:at/all")).isTrue();
        assertThat(Wildcard.compile("s3:Get*", true).toString()).isEqualTo("s3:get*");
        assertThat(Wildcard.compile("s3:Get*", false).toString()).isEqualTo("s3:Get*");
    }

    @Test
    void buildersGrowAndKeepEveryPiece() {
        Wildcard.Builder b = new Wildcard.Builder(0);
        for (int i = 0; i < 50; i++) {
            b.literal('x').wildcard('?', false).literal("y").wildcard('*', true);
        }
        Wildcard w = b.build(false);
        String match = "x1y".repeat(50);
        assertThat(w.matches(match)).isTrue();
        assertThat(w.matches("x1y".repeat(49))).isFalse();
        assertThat(w.matches("x:y" + "x1y".repeat(49))).isTrue(); // a plain ? also matches ':'
        Wildcard bounded = new Wildcard.Builder(1).literal('x').wildcard('?', true).literal('y').build(false);
        assertThat(bounded.matches("x1y")).isTrue();
        assertThat(bounded.matches("x:y")).isFalse();
        Wildcard boundedStar = new Wildcard.Builder(1).literal('x').wildcard('*', true).literal('y').build(false);
        assertThat(boundedStar.matches("xaaay")).isTrue();
        assertThat(boundedStar.matches("xa:ay")).isFalse();
    }

    private static String random(Random rnd, char[] alphabet, int max) {
        int n = rnd.nextInt(max + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    /** Reference semantics, written independently of the matcher. */
    private static String toRegex(String p, boolean arnAware) {
        StringBuilder re = new StringBuilder();
        int colons = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            boolean inResourcePart = colons >= 5;
            if (c == '*') {
                boolean endsField = i + 1 == p.length() || p.charAt(i + 1) == ':';
                re.append(!arnAware || inResourcePart || endsField ? ".*" : "[^:]*");
            } else if (c == '?') {
                re.append(!arnAware || inResourcePart ? "." : "[^:]");
            } else {
                if (c == ':') {
                    colons++;
                }
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Test
    void pathologicalPatternsStayLinear() {
        String longInput = "a".repeat(200_000);
        String pattern = "*a*a*a*a*a*a*a*a*a*b";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(Wildcard.compile(pattern, false).matches(longInput)).isFalse();
            assertThat(Wildcard.compile(pattern, true).matches(longInput)).isFalse();
            assertThat(Wildcard.compile(pattern, false).matches(longInput + "b")).isTrue();
            Wildcard arn = new Wildcard.Builder(40).pattern("arn:aws:s3:::" + pattern, false).buildArnAware(false);
            assertThat(arn.matches("arn:aws:s3:::" + longInput)).isFalse();
            Wildcard bounded = new Wildcard.Builder(40).pattern("arn:a*a*a*a*a*a*a*b:x", false).buildArnAware(false);
            assertThat(bounded.matches("arn:" + "a".repeat(50_000) + ":x")).isFalse();
            assertThat(Wildcard.compile("?*?*?*?*?*?*?*?*?*c", false).matches(longInput)).isFalse();
        });
    }
}
