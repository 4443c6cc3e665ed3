package dev.sts.token.webidentity;

import dev.sts.token.domain.SessionTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The session tags an identity provider passes in the {@code https://aws.amazon.com/tags} claim, in
 * the form IAM documents ("Passing session tags using AssumeRoleWithWebIdentity",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp):
 * <pre>{"principal_tags": {"Project": ["Automation"]}, "transitive_tag_keys": ["Project"]}</pre>
 * Each tag has exactly one value, in an array. Only the shape and the counts are checked here; key
 * and value rules are AssumeRole's, applied by the domain.
 */
record SessionTagsClaim(List<SessionTag> tags, List<String> transitiveTagKeys) {
    /** AWS's limit on session tags; more is refused before any of them is looked at. */
    static final int MAX = 50;

    static SessionTagsClaim parse(Object claim, String providerArn) {
        if (claim == null) {
            return new SessionTagsClaim(List.of(), List.of());
        }
        if (!(claim instanceof Map<?, ?> map)) {
            throw shape(providerArn);
        }
        List<SessionTag> tags = new ArrayList<>();
        Object principalTags = map.get("principal_tags");
        if (principalTags != null) {
            if (!(principalTags instanceof Map<?, ?> entries) || entries.size() > MAX) {
                throw shape(providerArn);
            }
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof List<?> values) || values.size() != 1
                        || !(values.get(0) instanceof String value)) {
                    throw shape(providerArn);
                }
                tags.add(new SessionTag(key, value));
            }
        }
        List<String> transitive = new ArrayList<>();
        Object keys = map.get("transitive_tag_keys");
        if (keys != null) {
            if (!(keys instanceof List<?> list) || list.size() > MAX) {
                throw shape(providerArn);
            }
            for (Object k : list) {
                if (!(k instanceof String key)) {
                    throw shape(providerArn);
                }
                transitive.add(key);
            }
        }
        return new SessionTagsClaim(tags, transitive);
    }

    private static RuntimeException shape(String providerArn) {
        return OidcTokenVerifier.rejected("The token's " + OidcTokenVerifier.TAGS_CLAIM
                + " claim must be {\"principal_tags\":{key:[value]},\"transitive_tag_keys\":[key]} with at most " + MAX + " tags",
                providerArn);
    }
}
