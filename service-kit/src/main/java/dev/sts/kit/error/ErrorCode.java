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
    // AWS wire protocols (SigV4 and the Query / JSON protocols, docs/adr/023): the codes AWS sends.
    /** The Authorization header or the signed request lacks a part SigV4 requires. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", Status.Code.UNAUTHENTICATED),
    /** The signature computed with the caller's secret differs from the one sent. */
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", Status.Code.UNAUTHENTICATED),
    /** The request's time is more than 15 minutes from the server's. */
    REQUEST_EXPIRED("RequestExpired", Status.Code.UNAUTHENTICATED),
    /** A Query request without {@code Action}. */
    MISSING_ACTION("MissingAction", Status.Code.INVALID_ARGUMENT),
    /** A Query {@code Action} (or its {@code Version}) this endpoint does not serve. */
    INVALID_ACTION("InvalidAction", Status.Code.INVALID_ARGUMENT),
    /** A required Query parameter is absent. */
    MISSING_PARAMETER("MissingParameter", Status.Code.INVALID_ARGUMENT),
    /** A form body that is not well-formed {@code application/x-www-form-urlencoded}. */
    MALFORMED_QUERY_STRING("MalformedQueryString", Status.Code.INVALID_ARGUMENT),
    /** A request body above the endpoint's limit, refused before it is parsed. */
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", Status.Code.RESOURCE_EXHAUSTED),
    /** A JSON protocol (awsJson1_1) body that is not the JSON the operation takes. */
    SERIALIZATION_EXCEPTION("SerializationException", Status.Code.INVALID_ARGUMENT),
    /** A JSON protocol {@code X-Amz-Target} naming no operation of the endpoint. */
    UNKNOWN_OPERATION("UnknownOperationException", Status.Code.INVALID_ARGUMENT),
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
