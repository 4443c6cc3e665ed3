package dev.sts.kit.aws;

import java.nio.charset.StandardCharsets;

/** What an AWS protocol endpoint answers: status, content type and body. */
public record AwsResponse(int status, String contentType, byte[] body) {
    public static final String XML = "text/xml";
    public static final String JSON_1_1 = "application/x-amz-json-1.1";

    public static AwsResponse xml(int status, String document) {
        return new AwsResponse(status, XML, document.getBytes(StandardCharsets.UTF_8));
    }

    public static AwsResponse json(int status, String document) {
        return new AwsResponse(status, JSON_1_1, document.getBytes(StandardCharsets.UTF_8));
    }
}
