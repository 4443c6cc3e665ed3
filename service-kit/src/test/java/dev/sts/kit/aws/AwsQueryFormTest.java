package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsQueryFormTest {

    private static AwsQueryForm form(String body) {
        return AwsQueryForm.parse(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ErrorCode refusal(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(StsException.class);
        return ((StsException) t).code();
    }

    @Test
    void scalarsListsAndStructures() {
        AwsQueryForm f = form("Action=AssumeRole&Version=2011-06-15&RoleSessionName=a+b%2Fc"
                + "&Policy=%7B%22Version%22%3A%222012-10-17%22%7D&DurationSeconds=900"
                + "&TransitiveTagKeys.member.1=Project&TransitiveTagKeys.member.2=Team"
                + "&Tags.member.2.Key=Team&Tags.member.2.Value=&Tags.member.1.Key=Project&Tags.member.1.Value=%E2%9C%93");
        assertThat(f.action()).isEqualTo("AssumeRole");
        assertThat(f.version()).contains("2011-06-15");
        assertThat(f.required("RoleSessionName")).isEqualTo("a b/c");
        assertThat(f.get("Policy")).contains("{\"Version\":\"2012-10-17\"}");
        assertThat(f.integer("DurationSeconds")).contains(900);
        assertThat(f.members("TransitiveTagKeys")).containsExactly("Project", "Team");
        assertThat(f.memberStructures("Tags")).containsExactly(Map.of("Key", "Project", "Value", "\u2713"),
                Map.of("Key", "Team", "Value", ""));
        assertThat(f.members("PolicyArns")).isEmpty();
    }

    @Test
    void malformedFormsAreRefusedWithTheirCode() {
        assertThat(refusal(() -> form("Version=2011-06-15").action())).isEqualTo(ErrorCode.MISSING_ACTION);
        assertThat(refusal(() -> form("Action=AssumeRole").required("RoleArn"))).isEqualTo(ErrorCode.MISSING_PARAMETER);
        assertThat(refusal(() -> form("Action=A%2"))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("Action=A%zz"))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("Action=%C3%28"))).as("invalid UTF-8").isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("Action=\u00e9"))).as("raw non-ASCII").isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("Action=A&Action=B"))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("=x"))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form("a".repeat(300) + "=x"))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(refusal(() -> form(String.join("&",
                java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "p" + i + "=1").toList()))))
                .isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        assertThat(form(String.join("&",
                java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "p" + i + "=1").toList())).names()).hasSize(1000);
        assertThat(refusal(() -> form("DurationSeconds=abc").integer("DurationSeconds")))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal(() -> form("DurationSeconds=99999999999").integer("DurationSeconds")))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal(() -> form("Tags.member.2.Key=a").memberStructures("Tags"))).as("gap")
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal(() -> form("Tags.member.01.Key=a").memberStructures("Tags")))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal(() -> form("Tags.member.1=a").memberStructures("Tags"))).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal(() -> form("Keys.member.1001=a").members("Keys"))).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(form("").names()).isEmpty();
    }

    @Test
    void theContentTypeMustBeAForm() {
        AwsHttpRequest json = new AwsHttpRequest("POST", "/", "",
                List.of(TestSigner.entry("Content-Type", "application/json")), "{}".getBytes(), "r", null, null);
        assertThat(refusal(() -> AwsQueryForm.parse(json))).isEqualTo(ErrorCode.MALFORMED_QUERY_STRING);
        AwsHttpRequest ok = new AwsHttpRequest("POST", "/", "",
                List.of(TestSigner.entry("content-type", "application/x-www-form-urlencoded; charset=utf-8")),
                "Action=X".getBytes(), "r", null, null);
        assertThat(AwsQueryForm.parse(ok).action()).isEqualTo("X");
    }
}
