package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicySize;
import dev.sts.policy.PolicyType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * STS's input rules for AssumeRole, with the field at fault. Every value the caller supplies is
 * bounded here, before any decision is made or any event (a denial's included) is built, so no
 * caller can put a value into the audit trail that does not fit it. Cheap checks come first:
 * lengths and counts, then patterns, then the policy parser.
 *
 * <p>The limits are those of the AWS STS API reference, AssumeRole request parameters
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) and Tag
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html).
 */
final class AssumeRoleValidation {
    /** RoleArn: length 20-2,048. */
    static final int ROLE_ARN_MIN = 20;
    static final int ROLE_ARN_MAX = 2048;
    /** RoleSessionName: length 2-64, pattern {@code [\w+=,.@-]*}. */
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    static final int SESSION_NAME_MAX = 64;
    /** ExternalId: length 2-1,224, pattern {@code [\w+=,.@:\/-]*}. */
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    static final int EXTERNAL_ID_MAX = 1224;
    /** SourceIdentity: length 2-64, pattern {@code [\w+=,.@-]*}. */
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
    static final int SOURCE_IDENTITY_MAX = 64;
    /** Tags: at most 50; Tag.Key length 1-128, Tag.Value length 0-256, both {@code [\p{L}\p{Z}\p{N}_.:/=+\-@]}. */
    static final int TAGS_MAX = 50;
    static final int TAG_KEY_MAX = 128;
    static final int TAG_VALUE_MAX = 256;
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    /** TransitiveTagKeys: at most 50 members, each 1-128 characters. */
    static final int TRANSITIVE_KEYS_MAX = 50;
    /** PolicyArns: at most 10; PolicyDescriptorType.arn length 20-2,048. */
    static final int POLICY_ARN_MIN = 20;
    static final int POLICY_ARN_MAX = 2048;
    /**
     * Our hard cap on the raw session policy, whitespace included. IAM counts 2,048 characters
     * without whitespace; this bounds the text before any whitespace is counted or the parser runs
     * (five times the budget leaves room for any reasonable pretty-printing).
     */
    static final int POLICY_RAW_MAX = 5 * PolicySize.SESSION_POLICY_MAX;
    /** DurationSeconds: 900-43,200. */
    static final int MIN_DURATION = 900;
    static final int MAX_DURATION = 43_200;
    static final int CHAINED_MAX_DURATION = 3600;

    private AssumeRoleValidation() {
    }

    /** A request that passed every check, with what the checks computed. */
    record Valid(Arns.RoleArn roleArn, List<String> transitiveTagKeys, String minifiedPolicy) {
    }

    /** Checks the whole request; the cheap checks of every field run before any pattern or parser. */
    static Valid validate(AssumeRoleService.Command cmd) {
        // 1. Lengths and counts: O(1) each, before anything looks inside a value.
        length("role_arn", cmd.roleArn(), ROLE_ARN_MIN, ROLE_ARN_MAX);
        length("role_session_name", cmd.sessionName(), 2, SESSION_NAME_MAX);
        optionalLength("external_id", cmd.externalId(), 2, EXTERNAL_ID_MAX);
        optionalLength("source_identity", cmd.sourceIdentity(), 2, SOURCE_IDENTITY_MAX);
        if (cmd.policy() != null && cmd.policy().length() > POLICY_RAW_MAX) {
            throw tooLarge("the session policy text exceeds " + POLICY_RAW_MAX + " characters (whitespace included)");
        }
        if (cmd.tags().size() > TAGS_MAX) {
            throw StsException.invalid("tags", "at most " + TAGS_MAX + " session tags may be passed");
        }
        if (cmd.transitiveTagKeys().size() > TRANSITIVE_KEYS_MAX) {
            throw StsException.invalid("transitive_tag_keys", "at most " + TRANSITIVE_KEYS_MAX + " transitive tag keys may be passed");
        }
        if (cmd.policyArns().size() > PolicySize.MANAGED_SESSION_POLICIES_MAX) {
            throw StsException.invalid("policy_arns", "at most " + PolicySize.MANAGED_SESSION_POLICIES_MAX
                    + " managed session policies may be passed");
        }
        durationRange(cmd.durationSeconds());
        for (SessionTag t : cmd.tags()) {
            if (t.key().isEmpty() || t.key().length() > TAG_KEY_MAX || t.value().length() > TAG_VALUE_MAX) {
                throw StsException.invalid("tags", "session tag keys must be 1-" + TAG_KEY_MAX + " characters and values at most "
                        + TAG_VALUE_MAX);
            }
        }
        for (String key : cmd.transitiveTagKeys()) {
            if (key.isEmpty() || key.length() > TAG_KEY_MAX) {
                throw StsException.invalid("transitive_tag_keys", "transitive tag keys must be 1-" + TAG_KEY_MAX + " characters");
            }
        }
        for (String arn : cmd.policyArns()) {
            length("policy_arns", arn, POLICY_ARN_MIN, POLICY_ARN_MAX);
        }

        // 2. Patterns, on values now known to be short.
        Arns.RoleArn roleArn = Arns.parseRole(cmd.roleArn(), "role_arn");
        sessionName(cmd.sessionName());
        externalId(cmd.externalId());
        sourceIdentity(cmd.sourceIdentity());
        for (SessionTag t : cmd.tags()) {
            if (!TAG_KEY.matcher(t.key()).matches() || !TAG_VALUE.matcher(t.value()).matches()) {
                throw StsException.invalid("tags", "session tag keys and values may contain only letters, digits, spaces and _.:/=+-@");
            }
        }

        // 3. Case-insensitive duplicates and transitive keys: linear, with a hash set.
        List<String> transitive = SessionTags.requestedTransitiveKeys(cmd.tags(), cmd.transitiveTagKeys());

        // 4. The session policy: size as IAM counts it, then the parser.
        return new Valid(roleArn, transitive, sessionPolicy(cmd.policy(), cmd.policyArns()));
    }

    /** Validates the inline session policy and returns it minified, or null when there is none. */
    static String sessionPolicy(String policy, List<String> policyArns) {
        try {
            // IAM: the plaintext of inline and managed session policies together may not exceed
            // 2,048 characters, whitespace not counted.
            PolicySize.requireSessionPoliciesWithin(policy, policyArns);
        } catch (MalformedPolicyException e) {
            throw tooLarge(e.getMessage());
        }
        if (policy == null) {
            return null;
        }
        try {
            Policy.parse(policy, PolicyType.SESSION, "session");
        } catch (MalformedPolicyException e) {
            if (MalformedPolicyException.LIMIT_EXCEEDED.equals(e.code())) {
                throw tooLarge(e.getMessage());
            }
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage(), "policy");
        }
        return PolicyText.minify(policy);
    }

    /** AWS's PackedPolicySize: the session policies and session tags packed, in percent of the budget. */
    static int packedPolicySize(String policy, List<String> policyArns, Map<String, String> sessionTags) {
        int percent = PolicySize.packedPolicySizePercent(policy, policyArns, sessionTags);
        if (percent > 100) {
            throw tooLarge("Packed size of the session policies and tags exceeds the limit: " + percent + "% of the allowed size");
        }
        return percent;
    }

    static void sessionName(String name) {
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw StsException.invalid("role_session_name",
                    "role_session_name must be 2-64 characters of letters, digits and +=,.@_-");
        }
    }

    static void externalId(String externalId) {
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            throw StsException.invalid("external_id", "external_id must be 2-1224 characters of letters, digits and +=,.@:/_-");
        }
    }

    static void sourceIdentity(String sourceIdentity) {
        if (sourceIdentity != null && !SOURCE_IDENTITY.matcher(sourceIdentity).matches()) {
            throw StsException.invalid("source_identity", "source_identity must be 2-64 characters of letters, digits and +=,.@_-");
        }
        // AWS: "You cannot use a value that begins with the text aws:" (AssumeRole, SourceIdentity).
        if (sourceIdentity != null && sourceIdentity.regionMatches(true, 0, "aws:", 0, 4)) {
            throw StsException.invalid("source_identity", "source_identity must not start with 'aws:'");
        }
    }

    private static void durationRange(int requested) {
        if (requested != 0 && (requested < MIN_DURATION || requested > MAX_DURATION)) {
            throw StsException.invalid("duration_seconds", "duration_seconds must be between " + MIN_DURATION + " and " + MAX_DURATION);
        }
    }

    /** The granted duration: 3600 when unset; between 900 and the role's maximum (3600 when chaining). */
    static int duration(int requested, int roleMax, boolean chained) {
        int duration = requested == 0 ? 3600 : requested;
        if (duration < MIN_DURATION) {
            throw StsException.invalid("duration_seconds", "duration_seconds must be at least " + MIN_DURATION);
        }
        if (chained && duration > CHAINED_MAX_DURATION) {
            throw StsException.invalid("duration_seconds",
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (duration > roleMax) {
            throw StsException.invalid("duration_seconds",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        return duration;
    }

    private static void length(String field, String value, int min, int max) {
        if (value == null || value.length() < min || value.length() > max) {
            throw StsException.invalid(field, field + " must be " + min + "-" + max + " characters");
        }
    }

    private static void optionalLength(String field, String value, int min, int max) {
        if (value != null) {
            length(field, value, min, max);
        }
    }

    private static StsException tooLarge(String message) {
        return new StsException(ErrorCode.PACKED_POLICY_TOO_LARGE, message, "policy");
    }
}
