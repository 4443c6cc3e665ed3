package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.StsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Session tags and transitive tag keys, case-insensitive everywhere, as AWS STS treats them
 * (AssumeRole API reference, Tags): "Tag key–value pairs are not case sensitive, but case is
 * preserved. This means that you cannot have separate Department and department tag keys." And on
 * role chaining: "the new session inherits any transitive session tags from the calling session.
 * If you pass a session tag with the same key as an inherited tag, the operation fails."
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining)
 *
 * <p>So a minted session never holds two keys equal ignoring case, and a policy condition on
 * {@code aws:PrincipalTag/team} sees one value, not whichever a hash order puts last.
 */
final class SessionTags {
    /** The tags and transitive keys of the session to mint. */
    record Merged(Map<String, String> tags, List<String> transitiveTagKeys) {
    }

    private SessionTags() {
    }

    private static String fold(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses request tags whose keys differ only in case, and transitive keys that name no tag;
     * returns the transitive keys spelled as their tags are, each once.
     */
    static List<String> requestedTransitiveKeys(List<SessionTag> tags, List<String> transitive) {
        Map<String, String> spelling = new HashMap<>();
        for (SessionTag t : tags) {
            if (spelling.putIfAbsent(fold(t.key()), t.key()) != null) {
                throw StsException.invalid("tags", "duplicate session tag key (keys are case-insensitive): " + t.key());
            }
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : transitive) {
            String tagKey = spelling.get(fold(key));
            if (tagKey == null) {
                throw StsException.invalid("transitive_tag_keys", "transitive tag key " + key + " is not a session tag");
            }
            keys.putIfAbsent(fold(key), tagKey);
        }
        return List.copyOf(keys.values());
    }

    /**
     * The new session's tags: those requested plus the calling session's transitive tags, which
     * the request may not pass again under any letter case.
     */
    static Merged merge(SessionClaims caller, List<SessionTag> requested, List<String> requestedTransitive) {
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> folded = new HashMap<>();
        for (SessionTag t : requested) {
            tags.put(t.key(), t.value());
            folded.put(fold(t.key()), t.key());
        }
        Map<String, String> transitive = new LinkedHashMap<>();
        requestedTransitive.forEach(k -> transitive.put(fold(k), k));
        if (caller != null) {
            Map<String, Map.Entry<String, String>> inheritedTags = new HashMap<>();
            caller.tags().forEach((k, v) -> inheritedTags.putIfAbsent(fold(k), Map.entry(k, v)));
            java.util.Set<String> inheritedKeys = new java.util.HashSet<>();
            for (String key : caller.transitiveTagKeys()) {
                String f = fold(key);
                Map.Entry<String, String> inherited = inheritedTags.get(f);
                // A key listed twice by an older token is inherited once.
                if (inherited == null || !inheritedKeys.add(f)) {
                    continue;
                }
                if (folded.containsKey(f)) {
                    throw StsException.invalid("tags", "session tag " + folded.get(f)
                            + " is transitive from the calling session and cannot be passed again (tag keys are case-insensitive)");
                }
                tags.put(inherited.getKey(), inherited.getValue());
                folded.put(f, inherited.getKey());
                transitive.put(f, inherited.getKey());
            }
        }
        if (tags.size() > AssumeRoleValidation.TAGS_MAX) {
            throw StsException.invalid("tags", "at most " + AssumeRoleValidation.TAGS_MAX
                    + " session tags, inherited transitive tags included");
        }
        return new Merged(tags, new ArrayList<>(transitive.values()));
    }
}
