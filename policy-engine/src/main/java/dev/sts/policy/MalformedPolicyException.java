package dev.sts.policy;

/**
 * The one exception a policy document can raise. {@link #code()} is the AWS error code users
 * know ({@code MalformedPolicyDocument}, or {@code LimitExceeded} for an over-size document);
 * the message names the place and the reason, e.g.
 * {@code Statement[2].Condition: unknown operator "StringEqualz"}.
 */
public final class MalformedPolicyException extends RuntimeException {

    public static final String MALFORMED = "MalformedPolicyDocument";
    public static final String LIMIT_EXCEEDED = "LimitExceeded";
    /** AssumeRole*: the packed session policies and tags exceed their budget (see {@link PolicySize}). */
    public static final String PACKED_POLICY_TOO_LARGE = "PackedPolicyTooLarge";

    private final String code;
    private final String location;
    private final String reason;

    public MalformedPolicyException(String location, String reason) {
        this(MALFORMED, location, reason);
    }

    public MalformedPolicyException(String code, String location, String reason) {
        super(location + ": " + reason, null, false, false);
        this.code = code;
        this.location = location;
        this.reason = reason;
    }

    /**
     * The AWS error code: {@code MalformedPolicyDocument}, {@code LimitExceeded}, or
     * {@code PackedPolicyTooLarge} from {@link PolicySize#requirePackedPolicyWithin}.
     */
    public String code() {
        return code;
    }

    /** Where in the document: {@code Policy}, {@code Statement[1].Action[0]}, ... */
    public String location() {
        return location;
    }

    /** Why, without the location. */
    public String reason() {
        return reason;
    }
}
