package dev.sts.audit.api.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sts.kit.aws.AwsErrorFormat;
import dev.sts.kit.aws.AwsErrors;
import dev.sts.kit.aws.AwsResponse;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;

/**
 * Errors as CloudTrail's JSON protocol sends them: {@code {"__type": "<code>", "message": "..."}}
 * with the kit's status of the code ({@link AwsErrors}), except a denial: CloudTrail's "Common
 * Errors" name it {@code AccessDeniedException}, HTTP 400.
 */
final class CloudTrailErrors {
    static final AwsErrorFormat FORMAT = (e, requestId) -> AwsResponse.json(status(e.code()), body(type(e), message(e)));

    private CloudTrailErrors() {
    }

    static String type(StsException e) {
        return e.code() == ErrorCode.ACCESS_DENIED ? "AccessDeniedException" : e.code().awsCode();
    }

    static int status(ErrorCode code) {
        return code == ErrorCode.ACCESS_DENIED ? 400 : AwsErrors.httpStatus(code);
    }

    private static String message(StsException e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }

    static String body(String type, String message) {
        ObjectNode o = CloudTrailEvents.JSON.createObjectNode().put("__type", type).put("message", message);
        try {
            return CloudTrailEvents.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings always serialize", e);
        }
    }
}
