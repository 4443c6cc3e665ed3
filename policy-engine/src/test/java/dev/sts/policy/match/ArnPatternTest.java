package dev.sts.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
    })
    void segmentWise(String pattern, String value, boolean expected) {
        assertThat(ArnPattern.compile(pattern).matches(value)).isEqualTo(expected);
    }

    @Test
    void pathologicalInTheResourceField() {
        String value = "arn:aws:s3:::" + "a".repeat(200_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThat(ArnPattern.compile("arn:aws:s3:::*a*a*a*a*a*a*a*a*a*b").matches(value)).isFalse());
    }
}
