package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicySize;
import dev.sts.policy.PolicyType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** IAM's input rules for roles, with AWS's error codes and the field at fault. */
public final class RoleValidation {
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern PATH = Pattern.compile("(/)|(/[\\x21-\\x7E]+/)");
    /** CreateRole's hard cap on the raw document, whitespace included (AWS API reference). */
    static final int TRUST_POLICY_MAX_RAW_CHARS = 131_072;

    private RoleValidation() {
    }

    public static void roleName(String name) {
        if (name == null || name.isEmpty()) {
            throw StsException.invalid("role_name", "role_name is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw StsException.invalid("role_name",
                    "role_name must be 1-64 characters of letters, digits and +=,.@_-");
        }
    }

    public static String path(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (path.length() > 512 || !PATH.matcher(path).matches()) {
            throw StsException.invalid("path", "path must begin and end with '/' and contain printable ASCII only (at most 512 characters)");
        }
        return path;
    }

    public static int maxSessionDuration(int seconds) {
        if (seconds == 0) {
            return 3600;
        }
        if (seconds < 3600 || seconds > 43200) {
            throw StsException.invalid("max_session_duration", "max_session_duration must be between 3600 and 43200 seconds");
        }
        return seconds;
    }

    public static void description(String description) {
        if (description != null && description.length() > 1000) {
            throw StsException.invalid("description", "description must be at most 1000 characters");
        }
    }

    public static void tags(List<Role.Tag> tags) {
        if (tags.size() > 50) {
            throw StsException.invalid("tags", "at most 50 tags");
        }
        Set<String> seen = new HashSet<>();
        for (Role.Tag t : tags) {
            if (t.key() == null || t.key().isEmpty() || t.key().length() > 128) {
                throw StsException.invalid("tags", "tag keys must be 1-128 characters");
            }
            if (t.value() != null && t.value().length() > 256) {
                throw StsException.invalid("tags", "tag values must be at most 256 characters");
            }
            if (!seen.add(t.key().toLowerCase(Locale.ROOT))) {
                throw StsException.invalid("tags", "duplicate tag key: " + t.key());
            }
        }
    }

    /**
     * Validates a trust policy with the policy engine, cheapest check first, so that a role can
     * only ever hold a document the engine will evaluate: one it rejects would otherwise be stored
     * and later read as "trusts nobody".
     *
     * <ol>
     * <li>Raw length, whitespace included, against a hard cap, before anything reads the text:
     * the CreateRole API reference gives {@code AssumeRolePolicyDocument} "Maximum length of
     * 131072" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).</li>
     * <li>The quota, whitespace not counted, with the engine's {@link PolicySize}: "Role trust
     * policy length: 2,048 characters" and "IAM doesn't count white space when calculating the
     * size of a policy" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html);
     * AWS answers {@code LimitExceeded} "Cannot exceed quota for ACLSizePerRole".</li>
     * <li>The full grammar for {@link PolicyType#TRUST}: Effect, a required Principal, condition
     * operators, principal wildcards; AWS answers {@code MalformedPolicyDocument} with the
     * reason.</li>
     * </ol>
     *
     * @return the parsed policy
     */
    public static Policy trustPolicy(String document, String field) {
        if (document == null || document.isBlank()) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, field + " is required", field);
        }
        if (document.length() > TRUST_POLICY_MAX_RAW_CHARS) {
            // AWS answers a parameter over its length constraint with ValidationError.
            throw StsException.invalid(field, field + " must be at most " + TRUST_POLICY_MAX_RAW_CHARS
                    + " characters, whitespace included");
        }
        int size = PolicySize.of(document);
        if (size > PolicySize.TRUST_POLICY_MAX) {
            throw new StsException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for ACLSizePerRole: "
                    + PolicySize.TRUST_POLICY_MAX + " (the document has " + size + " characters, whitespace not counted)",
                    field);
        }
        try {
            return Policy.parse(document, PolicyType.TRUST);
        } catch (MalformedPolicyException e) {
            ErrorCode code = MalformedPolicyException.LIMIT_EXCEEDED.equals(e.code())
                    ? ErrorCode.LIMIT_EXCEEDED
                    : ErrorCode.MALFORMED_POLICY_DOCUMENT;
            throw new StsException(code, e.getMessage(), field);
        }
    }
}
