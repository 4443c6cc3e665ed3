package dev.sts.kit.error;

import io.grpc.Status;

/**
 * The error catalogue: every failure a caller can see, named by the AWS error code users already
 * know, with the gRPC status it travels as. Messages sent with these codes are written for the
 * caller and never carry internals (stack traces, SQL, secrets).
 */
public enum ErrorCode {
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", Status.Code.INVALID_ARGUMENT),
    VALIDATION_ERROR("ValidationError", Status.Code.INVALID_ARGUMENT),
    INVALID_INPUT("InvalidInput", Status.Code.INVALID_ARGUMENT),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", Status.Code.INVALID_ARGUMENT),
    PACKED_POLICY_TOO_LARGE("PackedPolicyTooLarge", Status.Code.INVALID_ARGUMENT),
    // CloudTrail LookupEvents (CloudTrail API reference, LookupEvents "Errors"): the JSON protocol's
    // __type names, sent with HTTP 400.
    /** More than one lookup attribute, an unknown AttributeKey, or a value out of bounds. */
    INVALID_LOOKUP_ATTRIBUTES("InvalidLookupAttributesException", Status.Code.INVALID_ARGUMENT),
    /** StartTime after EndTime, or a time outside the range a lookup can cover. */
    INVALID_TIME_RANGE("InvalidTimeRangeException", Status.Code.INVALID_ARGUMENT),
    /** MaxResults outside 1-50. */
    INVALID_MAX_RESULTS("InvalidMaxResultsException", Status.Code.INVALID_ARGUMENT),
    /** A NextToken this endpoint did not return, or one returned for other parameters. */
    INVALID_NEXT_TOKEN("InvalidNextTokenException", Status.Code.INVALID_ARGUMENT),
    /** An EventCategory other than "insight". */
    INVALID_EVENT_CATEGORY("InvalidEventCategoryException", Status.Code.INVALID_ARGUMENT),
    NO_SUCH_ENTITY("NoSuchEntity", Status.Code.NOT_FOUND),
    ENTITY_ALREADY_EXISTS("EntityAlreadyExists", Status.Code.ALREADY_EXISTS),
    DELETE_CONFLICT("DeleteConflict", Status.Code.FAILED_PRECONDITION),
    LIMIT_EXCEEDED("LimitExceeded", Status.Code.FAILED_PRECONDITION),
    /**
     * Another request changed the same entity at the same time and this one could not be applied
     * after bounded retries; nothing was changed, and the request may be sent again. IAM's
     * {@code ConcurrentModification}: "multiple requests to change this object were submitted
     * simultaneously".
     */
    CONCURRENT_MODIFICATION("ConcurrentModification", Status.Code.ABORTED),
    ACCESS_DENIED("AccessDenied", Status.Code.PERMISSION_DENIED),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", Status.Code.UNAUTHENTICATED),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", Status.Code.UNAUTHENTICATED),
    EXPIRED_TOKEN("ExpiredToken", Status.Code.UNAUTHENTICATED),
    INVALID_IDENTITY_TOKEN("InvalidIdentityToken", Status.Code.UNAUTHENTICATED),
    IDP_REJECTED_CLAIM("IDPRejectedClaim", Status.Code.UNAUTHENTICATED),
    /**
     * The keys of a web identity token's issuer could not be fetched. STS: "the identity provider
     * (IDP) that was asked to verify the incoming identity token could not be reached. This is
     * often a transient error": the token may be fine, so the caller may retry.
     */
    IDP_COMMUNICATION_ERROR("IDPCommunicationError", Status.Code.UNAVAILABLE),
    SERVICE_UNAVAILABLE("ServiceUnavailable", Status.Code.UNAVAILABLE),
    NOT_IMPLEMENTED("NotImplemented", Status.Code.UNIMPLEMENTED),
    INTERNAL_FAILURE("InternalFailure", Status.Code.INTERNAL);

    /** The google.rpc.ErrorInfo domain of every error this system returns. */
    public static final String DOMAIN = "sts.v1";

    private final String awsCode;
    private final Status.Code grpcCode;

    ErrorCode(String awsCode, Status.Code grpcCode) {
        this.awsCode = awsCode;
        this.grpcCode = grpcCode;
    }

    /** The AWS error code, carried as {@code ErrorInfo.reason}. */
    public String awsCode() {
        return awsCode;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }
}
