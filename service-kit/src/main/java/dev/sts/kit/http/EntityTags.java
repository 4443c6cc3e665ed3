package dev.sts.kit.http;

/** Conditional GETs of the JWK sets the services publish. */
public final class EntityTags {
    private EntityTags() {
    }

    /** RFC 9110 section 13.1.2 (If-None-Match): "*" or any listed tag, compared weakly (a W/ prefix is ignored). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
