package dev.sts.role.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** IAM's input rules for roles, with AWS's error codes and the field at fault. */
public final class RoleValidation {
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern PATH = Pattern.compile("(/)|(/[\\x21-\\x7E]+/)");
    static final int TRUST_POLICY_MAX_CHARS = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

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
     * A trust policy must be a JSON policy document within IAM's size limit. Full grammar checks
     * come from the policy engine; this is the shape every trust policy must have.
     */
    public static void trustPolicy(String document, String field) {
        if (document == null || document.isBlank()) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, field + " is required", field);
        }
        long chars = document.codePoints().filter(c -> !Character.isWhitespace(c)).count();
        if (chars > TRUST_POLICY_MAX_CHARS) {
            throw new StsException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for ACLSizePerRole: " + TRUST_POLICY_MAX_CHARS, field);
        }
        JsonNode node;
        try {
            node = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT,
                    "Syntax errors in policy: not valid JSON at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr(), field);
        }
        if (node == null || !node.isObject()) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, "policy document must be a JSON object", field);
        }
        JsonNode statement = node.get("Statement");
        if (statement == null || !(statement.isObject() || statement.isArray())) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, "policy document has no Statement", field);
        }
    }
}
