package dev.sts.kit.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sts.kit.error.StsException;

/** How an endpoint writes its errors: the Query protocol's XML or awsJson1_1's JSON. */
public interface AwsErrorFormat {

    AwsResponse render(StsException error, String requestId);

    /** {@code <ErrorResponse xmlns=namespace><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}. */
    static AwsErrorFormat query(String namespace) {
        return (e, requestId) -> AwsResponse.xml(AwsErrors.httpStatus(e.code()),
                AwsQueryXml.error(namespace, e, requestId));
    }

    /**
     * awsJson1_1: {@code {"__type": code, "message": message}}, the shape the AWS SDKs read an
     * error's code and message from (the request id travels in {@code x-amzn-RequestId}).
     */
    static AwsErrorFormat json() {
        ObjectMapper mapper = new ObjectMapper();
        return (e, requestId) -> {
            ObjectNode node = mapper.createObjectNode();
            node.put("__type", e.code().awsCode());
            node.put("message", e.getMessage() == null ? "" : e.getMessage());
            return AwsResponse.json(AwsErrors.httpStatus(e.code()), node.toString());
        };
    }
}
