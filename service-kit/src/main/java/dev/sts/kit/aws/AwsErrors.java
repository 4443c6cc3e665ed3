package dev.sts.kit.aws;

import dev.sts.kit.error.ErrorCode;

/**
 * The one table from the error catalogue to HTTP statuses on the AWS wire protocols, as AWS sends
 * them: the STS, IAM and CloudTrail API references' "Errors" sections and "Common Errors"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
 */
public final class AwsErrors {
    private AwsErrors() {
    }

    public static int httpStatus(ErrorCode code) {
        return switch (code) {
            case MALFORMED_POLICY_DOCUMENT, VALIDATION_ERROR, INVALID_INPUT, INVALID_PARAMETER_VALUE,
                    PACKED_POLICY_TOO_LARGE, INVALID_IDENTITY_TOKEN, EXPIRED_TOKEN, INCOMPLETE_SIGNATURE,
                    REQUEST_EXPIRED, MISSING_ACTION, INVALID_ACTION, MISSING_PARAMETER, SERIALIZATION_EXCEPTION,
                    UNKNOWN_OPERATION -> 400;
            // CloudTrail LookupEvents' own errors (CloudTrail API reference, LookupEvents, "Errors").
            case INVALID_LOOKUP_ATTRIBUTES, INVALID_TIME_RANGE, INVALID_MAX_RESULTS, INVALID_NEXT_TOKEN,
                    INVALID_EVENT_CATEGORY -> 400;
            // STS: "IDPCommunicationError ... HTTP Status Code: 400" (the caller may retry).
            case IDP_COMMUNICATION_ERROR -> 400;
            case ACCESS_DENIED, MISSING_AUTHENTICATION_TOKEN, INVALID_CLIENT_TOKEN_ID, SIGNATURE_DOES_NOT_MATCH,
                    IDP_REJECTED_CLAIM -> 403;
            // Common Errors: "MalformedQueryString: The query string contains a syntax error. HTTP Status Code: 404".
            case NO_SUCH_ENTITY, MALFORMED_QUERY_STRING -> 404;
            case ENTITY_ALREADY_EXISTS, DELETE_CONFLICT, LIMIT_EXCEEDED, CONCURRENT_MODIFICATION -> 409;
            case REQUEST_ENTITY_TOO_LARGE -> 413;
            case INTERNAL_FAILURE -> 500;
            case NOT_IMPLEMENTED -> 501;
            case SERVICE_UNAVAILABLE -> 503;
        };
    }

    /** The Query protocol's {@code Error/Type}: "Sender" for the caller's faults, "Receiver" for ours. */
    public static String faultType(ErrorCode code) {
        return httpStatus(code) >= 500 ? "Receiver" : "Sender";
    }
}
