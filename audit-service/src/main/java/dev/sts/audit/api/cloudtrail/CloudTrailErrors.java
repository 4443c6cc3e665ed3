package dev.sts.audit.api.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.Map;

/**
 * Errors as CloudTrail's JSON protocol sends them: {@code {"__type": "<code>", "message": "..."}}
 * with the status of the code. The codes are the catalogue's ({@link ErrorCode}); where the JSON
 * protocol names one differently, the table here says so (CloudTrail API reference, "Common
 * Errors": AccessDeniedException, HTTP 400).
 */
final class CloudTrailErrors {
    /** A body that is not the JSON the operation takes (awsJson1_1: SerializationException). */
    static final ErrorCode SERIALIZATION = ErrorCode.VALIDATION_ERROR;
    /** An X-Amz-Target naming no operation of this endpoint. */
    static final ErrorCode UNKNOWN_OPERATION = ErrorCode.INVALID_INPUT;
    /** A body over the endpoint's limit, refused before it is read. */
    static final ErrorCode TOO_LARGE = ErrorCode.LIMIT_EXCEEDED;

    private static final Map<ErrorCode, String> JSON_NAMES = Map.of(
            ErrorCode.ACCESS_DENIED, "AccessDeniedException",
            SERIALIZATION, "SerializationException",
            UNKNOWN_OPERATION, "UnknownOperationException",
            TOO_LARGE, "RequestEntityTooLarge");

    private CloudTrailErrors() {
    }

    /** The {@code __type} of an error. */
    static String type(StsException e) {
        return JSON_NAMES.getOrDefault(e.code(), e.code().awsCode());
    }

    /** CloudTrail's HTTP status for an error: client faults are 400 (CloudTrail API reference, Common Errors). */
    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_CLIENT_TOKEN_ID -> 403;
            case LIMIT_EXCEEDED -> 413;
            case SERVICE_UNAVAILABLE -> 503;
            case INTERNAL_FAILURE, NOT_IMPLEMENTED -> 500;
            default -> 400;
        };
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
