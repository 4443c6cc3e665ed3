package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import org.junit.jupiter.api.Test;

class AwsQueryXmlTest {
    private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    @Test
    void responseShape() {
        String xml = AwsQueryXml.response("GetCallerIdentity", NS, "req-1", r -> r
                .text("Arn", "arn:aws:iam::000000000000:user/a&b<c>")
                .text("UserId", null)
                .element("Nested", n -> n.text("Account", "000000000000")));
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<GetCallerIdentityResponse xmlns=\"" + NS + "\"><GetCallerIdentityResult>"
                + "<Arn>arn:aws:iam::000000000000:user/a&amp;b&lt;c&gt;</Arn>"
                + "<Nested><Account>000000000000</Account></Nested></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
        assertThat(AwsQueryXml.response("DeleteRole", NS, "r", null)).doesNotContain("DeleteRoleResult");
    }

    @Test
    void errorShapeAndStatus() {
        StsException e = new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "no \u0001 match");
        AwsResponse r = AwsErrorFormat.query(NS).render(e, "req-2");
        assertThat(r.status()).isEqualTo(403);
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type>"
                        + "<Code>SignatureDoesNotMatch</Code><Message>no \uFFFD match</Message></Error>"
                        + "<RequestId>req-2</RequestId></ErrorResponse>");
        AwsResponse unavailable = AwsErrorFormat.query(NS).render(StsException.unavailable("down", null), "r");
        assertThat(new String(unavailable.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("<Type>Receiver</Type>");
        assertThat(unavailable.status()).isEqualTo(503);
    }

    @Test
    void jsonErrors() {
        AwsResponse r = AwsErrorFormat.json().render(new StsException(ErrorCode.UNKNOWN_OPERATION, "say \"what\""), "r");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"__type\":\"UnknownOperationException\",\"message\":\"say \\\"what\\\"\"}");
    }

    @Test
    void everyCodeHasAStatus() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(AwsErrors.httpStatus(c)).isBetween(400, 599);
        }
    }
}
