package dev.sts.token.domain;

import dev.sts.kit.error.StsException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** STS's input rules for AssumeRole, with the field at fault. */
final class AssumeRoleValidation {
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    static final int MIN_DURATION = 900;
    static final int CHAINED_MAX_DURATION = 3600;

    private AssumeRoleValidation() {
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
        if (sourceIdentity != null && sourceIdentity.regionMatches(true, 0, "aws:", 0, 4)) {
            throw StsException.invalid("source_identity", "source_identity must not start with 'aws:'");
        }
    }

    static void tags(Map<String, String> tags, List<String> transitive) {
        if (tags.size() > 50) {
            throw StsException.invalid("tags", "at most 50 session tags");
        }
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 128 || v.length() > 256) {
                throw StsException.invalid("tags", "session tag keys must be 1-128 characters and values at most 256");
            }
        });
        for (String key : transitive) {
            if (tags.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(key))) {
                throw StsException.invalid("transitive_tag_keys", "transitive tag key " + key + " is not a session tag");
            }
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
}
