package dev.sts.kit.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * Session tokens whose signature and claims were verified, by SHA-256 of the token: the token
 * itself is never held, so a dump of this cache yields no usable credential. An entry is only a
 * shortcut past the signature check; the {@link SessionTokenProcessor} still refuses a hit whose
 * token has expired by the injected clock (no leeway once cached) or whose key is no longer
 * published. Caffeine bounds the size (least recently used first out) and drops an entry at its
 * token's expiry, so memory never holds dead sessions for long.
 */
final class VerifiedTokenCache {

    /** A verified token: the key id it was signed with and its session. */
    record Entry(String kid, SessionClaims claims) {
    }

    private final Cache<Digest, Entry> cache;
    private final InstantSource clock;

    VerifiedTokenCache(int maximumSize, InstantSource clock) {
        if (maximumSize <= 0) {
            throw new IllegalArgumentException("the verified-token cache needs a positive size");
        }
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new UntilExpiry()).build();
    }

    /** The digest a token is cached under. */
    static Digest digest(String token) {
        try {
            return new Digest(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    Entry get(Digest digest) {
        return cache.getIfPresent(digest);
    }

    void put(Digest digest, Entry entry) {
        cache.put(digest, entry);
    }

    void invalidate(Digest digest) {
        cache.invalidate(digest);
    }

    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** SHA-256 of a token, compared by content. */
    record Digest(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Digest";
        }
    }

    /** An entry lives until its token's {@code exp}, never longer. */
    private final class UntilExpiry implements Expiry<Digest, Entry> {
        @Override
        public long expireAfterCreate(Digest key, Entry value, long currentTime) {
            long nanos = Duration.between(clock.instant(), value.claims().expiresAt()).toNanos();
            return Math.max(0, nanos);
        }

        @Override
        public long expireAfterUpdate(Digest key, Entry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(Digest key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
