package dev.sts.audit.api.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.audit.domain.CloudTrailLookup.AttributeKey;
import dev.sts.audit.domain.Cursor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LookupEventsInputTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private static LookupEventsInput parse(String json) {
        return LookupEventsInput.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static ErrorCode codeOf(String json) {
        try {
            parse(json);
        } catch (StsException e) {
            return e.code();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void anEmptyRequestIsTheLast90DaysFiftyAtATime() {
        for (String body : new String[] {"", "{}"}) {
            var r = parse(body).request();
            assertThat(r.attribute()).isNull();
            assertThat(r.end()).isEqualTo(NOW);
            assertThat(r.start()).isEqualTo(NOW.minus(Duration.ofDays(90)));
            assertThat(r.maxResults()).isEqualTo(50);
            assertThat(r.after()).isNull();
        }
    }

    @Test
    void timesAreEpochSecondsWithAFraction() {
        var r = parse("{\"StartTime\": 1764496800.25, \"EndTime\": 1764500400, \"MaxResults\": 7}").request();
        assertThat(r.start()).isEqualTo(Instant.ofEpochSecond(1764496800, 250_000_000));
        assertThat(r.end()).isEqualTo(Instant.ofEpochSecond(1764500400));
        assertThat(r.maxResults()).isEqualTo(7);
    }

    @Test
    void everyCloudTrailAttributeKeyIsAccepted() {
        for (AttributeKey k : AttributeKey.values()) {
            String value = k == AttributeKey.ReadOnly ? "true" : "v";
            var r = parse("{\"LookupAttributes\":[{\"AttributeKey\":\"" + k.name() + "\",\"AttributeValue\":\"" + value + "\"}]}")
                    .request();
            assertThat(r.attribute().key()).isEqualTo(k);
            assertThat(r.attribute().value()).isEqualTo(value);
        }
    }

    @Test
    void cloudTrailAllowsOneLookupAttribute() {
        assertThat(codeOf("{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"AssumeRole\"},"
                + "{\"AttributeKey\":\"Username\",\"AttributeValue\":\"alice\"}]}")).isEqualTo(ErrorCode.INVALID_LOOKUP_ATTRIBUTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"LookupAttributes\":[{\"AttributeKey\":\"PrincipalArn\",\"AttributeValue\":\"x\"}]}",
        "{\"LookupAttributes\":[{\"AttributeKey\":\"eventname\",\"AttributeValue\":\"x\"}]}",
        "{\"LookupAttributes\":[{\"AttributeValue\":\"x\"}]}",
        "{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"\"}]}",
        "{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\"}]}",
        "{\"LookupAttributes\":[{\"AttributeKey\":\"ReadOnly\",\"AttributeValue\":\"yes\"}]}"})
    void aBadAttributeIsInvalidLookupAttributes(String body) {
        assertThat(codeOf(body)).isEqualTo(ErrorCode.INVALID_LOOKUP_ATTRIBUTES);
    }

    @Test
    void anAttributeValueIsAtMost2000Characters() {
        String ok = "a".repeat(2000);
        assertThat(parse("{\"LookupAttributes\":[{\"AttributeKey\":\"Username\",\"AttributeValue\":\"" + ok + "\"}]}")
                .request().attribute().value()).hasSize(2000);
        assertThat(codeOf("{\"LookupAttributes\":[{\"AttributeKey\":\"Username\",\"AttributeValue\":\"" + ok + "a\"}]}"))
                .isEqualTo(ErrorCode.INVALID_LOOKUP_ATTRIBUTES);
    }

    @Test
    void aStartAfterTheEndIsInvalidTimeRange() {
        assertThat(codeOf("{\"StartTime\": 1764500400, \"EndTime\": 1764496800}")).isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        // A start in the future, with the end defaulting to now.
        assertThat(codeOf("{\"StartTime\": 1864500400}")).isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        assertThat(codeOf("{\"StartTime\": -1}")).isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        assertThat(codeOf("{\"EndTime\": 1e300}")).isEqualTo(ErrorCode.INVALID_TIME_RANGE);
        // Equal bounds are one instant, both inclusive.
        assertThat(parse("{\"StartTime\": 1764496800, \"EndTime\": 1764496800}").request().start())
                .isEqualTo(Instant.ofEpochSecond(1764496800));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "51", "-1", "100000000000"})
    void maxResultsIsOneToFifty(String max) {
        assertThat(codeOf("{\"MaxResults\": " + max + "}")).isEqualTo(ErrorCode.INVALID_MAX_RESULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]", "\"x\"", "{", "{\"MaxResults\": \"5\"}", "{\"MaxResults\": 5.5}", "{\"StartTime\": \"2026-11-30\"}",
        "{\"LookupAttributes\": {}}", "{\"LookupAttributes\": [\"EventName\"]}",
        "{\"LookupAttributes\":[{\"AttributeKey\":1,\"AttributeValue\":\"x\"}]}",
        "{\"MaxResults\": 5, \"MaxResults\": 6}", "{\"NextToken\": 5}", "{\"a\":[[[[[[[[[[1]]]]]]]]]]}"})
    void aBodyThatIsNotTheOperationsJsonIsASerializationError(String body) {
        assertThat(codeOf(body)).isEqualTo(ErrorCode.SERIALIZATION_EXCEPTION);
    }

    @Test
    void onlyTheInsightCategoryExistsAndThisLogHasNone() {
        assertThat(parse("{\"EventCategory\": \"insight\"}").request()).isNull();
        assertThat(codeOf("{\"EventCategory\": \"management\"}")).isEqualTo(ErrorCode.INVALID_EVENT_CATEGORY);
    }

    @Test
    void aNextTokenContinuesTheSameLookupOverTheRangeTheFirstPageResolved() {
        String body = "{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"AssumeRole\"}]}";
        LookupEventsInput first = parse(body);
        Cursor at = new Cursor(NOW.minusSeconds(60), 42);
        String token = first.nextToken(at);

        // Later, "now" has moved: the token still covers the first page's range.
        var next = LookupEventsInput.parse(("{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":"
                + "\"AssumeRole\"}],\"MaxResults\":3,\"NextToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8),
                NOW.plusSeconds(3600)).request();
        assertThat(next.after()).isEqualTo(at);
        assertThat(next.end()).isEqualTo(NOW);
        assertThat(next.start()).isEqualTo(NOW.minus(Duration.ofDays(90)));
        assertThat(next.maxResults()).isEqualTo(3);
    }

    @Test
    void aNextTokenOfOtherParametersOrAlteredIsInvalidNextToken() {
        String token = parse("{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"AssumeRole\"}]}")
                .nextToken(new Cursor(NOW.minusSeconds(60), 42));
        assertThat(codeOf("{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"CreateRole\"}],"
                + "\"NextToken\":\"" + token + "\"}")).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);
        assertThat(codeOf("{\"NextToken\":\"" + token + "\"}")).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);

        String body = "{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"AssumeRole\"}],\"NextToken\":\"";
        char[] chars = token.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char[] altered = chars.clone();
            altered[i] = altered[i] == 'A' ? 'B' : 'A';
            String t = new String(altered);
            ErrorCode code = codeOfOrNull(body + t + "\"}");
            // Every altered character is refused, except one that only moves the position within
            // the range (harmless: the caller may read any of it).
            if (code != null) {
                assertThat(code).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);
            } else {
                assertThat(i).as("a character of the position (bytes 1-20)").isBetween(1, 27);
            }
        }
        assertThat(codeOf(body + "not-a-token\"}")).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);
        assertThat(codeOf(body + "x".repeat(5000) + "\"}")).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);
        assertThat(codeOf(body + "\"}")).isEqualTo(ErrorCode.INVALID_NEXT_TOKEN);
    }

    private static ErrorCode codeOfOrNull(String json) {
        try {
            parse(json);
            return null;
        } catch (StsException e) {
            return e.code();
        }
    }
}
