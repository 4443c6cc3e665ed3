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

/**
 * IAM's input rules for roles and policies, with AWS's error codes and the field at fault. Every
 * check bounds a length or a count before anything reads further.
 */
public final class RoleValidation {
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern PATH = Pattern.compile("(/)|(/[\\x21-\\x7E]+/)");
    private static final Pattern PATH_PREFIX = Pattern.compile("/[\\x21-\\x7E]*");
    /** IAM's tag key and value characters (TagRole: "[\p{L}\p{Z}\p{N}_.:/=+\-@]+"). */
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    /** IAM's VersionId: "v[1-9][0-9]*(\.[A-Za-z0-9-]*)?". */
    private static final Pattern VERSION_ID = Pattern.compile("v([1-9][0-9]*)(\\.[A-Za-z0-9-]*)?");
    /** Tags on one resource, and tag keys in one UntagRole ("Maximum number of 50 items"). */
    public static final int MAX_TAGS = 50;

    private RoleValidation() {
    }

    public static void roleName(String name) {
        if (name == null || name.isEmpty()) {
            throw StsException.invalid("role_name", "role_name is required");
        }
        if (name.length() > 64 || !NAME.matcher(name).matches()) {
            throw StsException.invalid("role_name",
                    "role_name must be 1-64 characters of letters, digits and +=,.@_-");
        }
    }

    /** Inline and managed policy names: 1-128 characters of {@code [\w+=,.@-]} (PutRolePolicy, CreatePolicy). */
    public static void policyName(String name) {
        if (name == null || name.isEmpty()) {
            throw StsException.invalid("policy_name", "policy_name is required");
        }
        if (name.length() > 128 || !POLICY_NAME.matcher(name).matches()) {
            throw StsException.invalid("policy_name",
                    "policy_name must be 1-128 characters of letters, digits and +=,.@_-");
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

    /** ListRoles' and ListPolicies' PathPrefix: 1-512 characters, beginning with "/"; "/" when unset. */
    public static String pathPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "/";
        }
        if (prefix.length() > 512 || !PATH_PREFIX.matcher(prefix).matches()) {
            throw StsException.invalid("path_prefix",
                    "path_prefix must begin with '/' and contain printable ASCII only (at most 512 characters)");
        }
        return prefix;
    }

    public static int maxSessionDuration(int seconds) {
        if (seconds == 0) {
            return 3600;
        }
        return explicitMaxSessionDuration(seconds);
    }

    /** A maximum session duration the caller set explicitly (UpdateRole): 0 is not a default there. */
    public static int explicitMaxSessionDuration(int seconds) {
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
        if (tags.size() > MAX_TAGS) {
            throw StsException.invalid("tags", "at most " + MAX_TAGS + " tags");
        }
        Set<String> seen = new HashSet<>();
        for (Role.Tag t : tags) {
            if (t.key() == null || t.key().isEmpty() || t.key().length() > 128) {
                throw StsException.invalid("tags", "tag keys must be 1-128 characters");
            }
            if (t.value() != null && t.value().length() > 256) {
                throw StsException.invalid("tags", "tag values must be at most 256 characters");
            }
            if (!TAG_KEY.matcher(t.key()).matches() || (t.value() != null && !TAG_VALUE.matcher(t.value()).matches())) {
                throw StsException.invalid("tags", "tag keys and values may contain letters, digits, spaces and _.:/=+-@ only");
            }
            if (!seen.add(t.key().toLowerCase(Locale.ROOT))) {
                throw StsException.invalid("tags", "duplicate tag key: " + t.key());
            }
        }
    }

    /** UntagRole's TagKeys: 1-50 keys of 1-128 characters each. */
    public static void tagKeys(List<String> keys) {
        if (keys.isEmpty() || keys.size() > MAX_TAGS) {
            throw StsException.invalid("tag_keys", "1-" + MAX_TAGS + " tag keys");
        }
        for (String k : keys) {
            if (k == null || k.isEmpty() || k.length() > 128 || !TAG_KEY.matcher(k).matches()) {
                throw StsException.invalid("tag_keys", "tag keys must be 1-128 characters of letters, digits, spaces and _.:/=+-@");
            }
        }
    }

    /**
     * A policy version id: IAM's pattern, then its number. An id with IAM's optional suffix
     * ("v1.x"), or a number beyond any this service hands out, is well-formed but names no
     * version; it is returned as -1.
     */
    public static int versionNumber(String versionId) {
        if (versionId == null || versionId.isEmpty()) {
            throw StsException.invalid("version_id", "version_id is required");
        }
        if (versionId.length() > 128) {
            throw StsException.invalid("version_id", "version_id must be at most 128 characters");
        }
        var m = VERSION_ID.matcher(versionId);
        if (!m.matches()) {
            throw StsException.invalid("version_id", "version_id must look like v1, v2, ...");
        }
        return m.group(2) != null || m.group(1).length() > 9 ? -1 : Integer.parseInt(m.group(1));
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
        rawDocument(document, field);
        int size = PolicySize.of(document);
        if (size > PolicySize.TRUST_POLICY_MAX) {
            throw new StsException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for ACLSizePerRole: "
                    + PolicySize.TRUST_POLICY_MAX + " (the document has " + size + " characters, whitespace not counted)",
                    field);
        }
        return parse(document, PolicyType.TRUST, field);
    }

    /**
     * The first, cheap check of any policy document: present, and at most IAM's 131,072
     * characters whitespace included ("Maximum length of 131072" for the PolicyDocument of
     * PutRolePolicy, CreatePolicy and CreatePolicyVersion), answered like any parameter over its
     * length constraint.
     */
    public static void rawDocument(String document, String field) {
        if (document == null || document.isBlank()) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, field + " is required", field);
        }
        if (document.length() > PolicySize.RAW_POLICY_DOCUMENT_MAX) {
            // AWS answers a parameter over its length constraint with ValidationError.
            throw StsException.invalid(field, field + " must be at most " + PolicySize.RAW_POLICY_DOCUMENT_MAX
                    + " characters, whitespace included");
        }
    }

    /**
     * A permission policy (inline, or a managed policy's version): the raw cap, then the quota
     * (whitespace not counted, {@link PolicySize}) with IAM's message, then the engine's grammar
     * for identity-based policies, so that a role only ever holds documents the engine evaluates.
     */
    public static Policy identityPolicy(String document, String field, int maxSize, String quotaMessage) {
        rawDocument(document, field);
        if (PolicySize.of(document) > maxSize) {
            throw new StsException(ErrorCode.LIMIT_EXCEEDED, quotaMessage, field);
        }
        return parse(document, PolicyType.IDENTITY, field);
    }

    private static Policy parse(String document, PolicyType type, String field) {
        try {
            return Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            ErrorCode code = MalformedPolicyException.LIMIT_EXCEEDED.equals(e.code())
                    ? ErrorCode.LIMIT_EXCEEDED
                    : ErrorCode.MALFORMED_POLICY_DOCUMENT;
            throw new StsException(code, e.getMessage(), field);
        }
    }
}
