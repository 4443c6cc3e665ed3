package dev.sts.token.domain;

/** One session tag as the caller passed it; keys compare case-insensitively (see {@link SessionTags}). */
public record SessionTag(String key, String value) {
}
