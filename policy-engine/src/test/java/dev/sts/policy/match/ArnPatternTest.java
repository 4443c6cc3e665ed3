package dev.sts.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArnPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "arn:aws:sns:us-east-1:111122223333:alerts, arn:aws:sns:us-east-1:111122223333:alerts, true",
        "arn:aws:sns:us-east-?:111122223333:alert?, arn:aws:sns:us-east-1:111122223333:alerts, true",
        "arn:aws:someservice:*:111122223333:finance/*, arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt, false",
        "arn:aws:someservice:*:111122223333:finance/*, arn:aws:someservice:us-east-2:111122223333:finance/a:b, true",
        "arn:aws:iam::*:role/*, arn:aws:iam::111122223333:role/x, true",
        "arn:aws:iam::*:role/*, arn:aws:iam::111122223333:user/x, false",
        "*, arn:aws:iam::111122223333:user/x, true",
        "arn:aws:*, arn:aws:iam::111122223333:user/x, true",
        "arn:aws:iam, arn:aws:iam::111122223333:user/x, false",
        "arn:aws:iam::111122223333:user/x, not-an-arn, false",
        "arn:aws:iam::111122223333:user/x, arn:aws:iam::111122223333:user/X, false",
        "arn:aws:iam::111122223333:user/x, arn:aws:iam::111122223333, false",
        "plain, plain, true",
        "plain, plain:more, false",
        // the sixth field is the rest of the ARN, colons included
        "arn:aws:sns:us-east-1:111122223333:topic*, arn:aws:sns:us-east-1:111122223333:topic:sub-id, true",
        "arn:aws:sns:us-east-1:111122223333:topic, arn:aws:sns:us-east-1:111122223333:topic:sub-id, false",
        "arn:aws:sns:us-east-1:111122223333:*:sub-id, arn:aws:sns:us-east-1:111122223333:topic:sub-id, true",
        // a wildcard in one of the first five fields stays inside it
        "arn:aws:*:111122223333:x, arn:aws:sns:us-east-1:111122223333:x, false",
        "arn:aws:sns:*:*:x, arn:aws:sns:us-east-1:111122223333:x, true",
        "arn:aws:s?s:*:*:x, arn:aws:sns:us-east-1:111122223333:x, true",
        "arn:aws:s?s:*:*:x, arn:aws:sqqs:us-east-1:111122223333:x, false",
        "arn:*:sns:*:*:x, arn:aws-cn:sns:cn-north-1:111122223333:x, true",
        "arn:aws:sns:*:*:x, arn:aws:sns:us-east-1:111122223333, false",
        "arn:aws:sns:*:*:x, arn:aws:sns, false",
        "arn:aws:sns:*:*:*, arn:aws:sns:::, true",
        "arn:aws:s3:::, arn:aws:s3:::, true",
        "arn:aws:s3:::, arn:aws:s3:::b, false",
        // a short pattern covers further fields only when it ends with *
        "arn:aws:sns:us-*, arn:aws:sns:us-east-1:111122223333:x, true",
        "arn:aws:sns:us-east-1, arn:aws:sns:us-east-1:111122223333:x, false",
        "arn:aws:sns:us-east-1, arn:aws:sns:us-east-1, true",
        "arn:aws:sns:us-east-1, arn:aws:sns:us-east-2, false",
        "arn:aws:sns:*, arn:aws:sns, false",
        "arn:aws:sns:*, arn:aws:sns:, true",
        "arn:aws:*:, arn:aws:sns:, true",
        "arn:aws:*:, arn:aws:sns:x, false",
        "*:*, arn, false",
        "*:*, a:b, true",
        "'', '', true",
        "'', x, false",
        // an empty first field; a wildcard in the last field of a closed short pattern stays in it
        ":x, :x, true",
        "a:b?c, a:b:c, false",
        "a:b*c, a:b:x:c, false",
        "a:b*c, a:bxc, true",
    })
    void segmentWise(String pattern, String value, boolean expected) {
        assertThat(ArnPattern.compile(pattern).matches(value)).isEqualTo(expected);
    }

    @Test
    void substitutedTextIsMatchedLiterally() {
        // a policy variable's value containing * or ? is text, not a wildcard
        String pattern = "arn:aws:s3:::b/a*?";
        boolean[] literal = new boolean[pattern.length()];
        literal[pattern.length() - 2] = true;
        literal[pattern.length() - 1] = true;
        ArnPattern p = ArnPattern.fromParts(pattern, literal);
        assertThat(p.matches("arn:aws:s3:::b/a*?")).isTrue();
        assertThat(p.matches("arn:aws:s3:::b/abc")).isFalse();
        assertThat(ArnPattern.fromParts(pattern, null).matches("arn:aws:s3:::b/abc")).isTrue();
        // a substituted trailing * does not open a short pattern to further fields
        String shortPattern = "arn:aws:*";
        boolean[] star = new boolean[shortPattern.length()];
        star[shortPattern.length() - 1] = true;
        assertThat(ArnPattern.fromParts(shortPattern, star).matches("arn:aws:s3:::b")).isFalse();
        assertThat(ArnPattern.fromParts(shortPattern, star).matches("arn:aws:*")).isTrue();
        assertThat(ArnPattern.fromParts(shortPattern, null).matches("arn:aws:s3:::b")).isTrue();
        boolean[] partStar = new boolean[shortPattern.length()];
        partStar[0] = true;
        assertThat(ArnPattern.fromParts(shortPattern, partStar).matches("arn:aws:s3:::b")).isTrue();
        assertThat(ArnPattern.compile("arn:aws:sns:*:*:x").toString()).isEqualTo("arn:aws:sns:*:*:x");
    }

    @Test
    void pathologicalInTheResourceField() {
        String value = "arn:aws:s3:::" + "a".repeat(200_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThat(ArnPattern.compile("arn:aws:s3:::*a*a*a*a*a*a*a*a*a*b").matches(value)).isFalse());
    }
}
