package dev.sts.audit.api.cloudtrail;

import dev.sts.audit.domain.Cursor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * LookupEvents' NextToken: where the next page starts, the time range the first page resolved
 * (StartTime and EndTime default to "90 days ago" and "now", which must not move between pages),
 * and a digest of both and of the parameters the caller sent. CloudTrail refuses "a token that was previously
 * used in a request with different parameters" (InvalidNextTokenException); the digest is how this
 * endpoint recognizes one.
 *
 * <p>The token is validated, not sealed: every field is checked (length, version, ranges, the
 * position inside the range, the digest) and anything else is refused. Nothing is gained by
 * forging one: LookupEvents is authorized for the whole log ({@code audit:LookupEvents} on
 * {@code *}), so a forged position or range only selects records the caller may read with a
 * fresh request.
 */
record NextToken(Cursor position, Instant start, Instant end, byte[] digest) {
    private static final byte VERSION = 1;
    private static final int DIGEST_BYTES = 16;
    private static final int BYTES = 1 + 3 * (8 + 4) + 8 + DIGEST_BYTES;
    /** Base64url of {@link #BYTES} bytes; anything longer is refused before it is decoded. */
    static final int MAX_CHARS = (BYTES * 4 + 2) / 3;

    String encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).put(VERSION);
        put(b, position.eventTime());
        b.putLong(position.id());
        put(b, start);
        put(b, end);
        b.put(digest);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * The token, if it is one this endpoint returned for the same parameters.
     *
     * @throws StsException InvalidNextTokenException otherwise
     */
    static NextToken decode(String token, List<String> parameters) {
        if (token.length() > MAX_CHARS) {
            throw invalid();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length != BYTES || raw[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, BYTES - 1);
        Instant at = instant(b);
        long id = b.getLong();
        Instant start = instant(b);
        Instant end = instant(b);
        byte[] digest = new byte[DIGEST_BYTES];
        b.get(digest);
        if (id <= 0 || start.isAfter(end) || at.isBefore(start) || at.isAfter(end)
                || !MessageDigest.isEqual(digest, digestOf(parameters, start, end))) {
            throw invalid();
        }
        return new NextToken(new Cursor(at, id), start, end, digest);
    }

    /** The token continuing after {@code position} a lookup with these parameters over this range. */
    static NextToken of(Cursor position, Instant start, Instant end, List<String> parameters) {
        return new NextToken(position, start, end, digestOf(parameters, start, end));
    }

    /**
     * The digest of what must stay the same from page to page: the parameters as the caller sent
     * them (the lookup attribute, StartTime, EndTime and EventCategory; absent ones as absent; not
     * MaxResults, which may change) and the range the first page resolved.
     */
    private static byte[] digestOf(List<String> parameters, Instant start, Instant end) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> parts = new ArrayList<>(parameters);
            parts.add(start.toString());
            parts.add(end.toString());
            for (String part : parts) {
                byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(5).put((byte) (part == null ? 0 : 1)).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return Arrays.copyOf(sha.digest(), DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static void put(ByteBuffer b, Instant t) {
        b.putLong(t.getEpochSecond()).putInt(t.getNano());
    }

    private static Instant instant(ByteBuffer b) {
        long seconds = b.getLong();
        int nanos = b.getInt();
        if (nanos < 0 || nanos > 999_999_999 || seconds < LookupEventsInput.MIN_TIME.getEpochSecond()
                || seconds > LookupEventsInput.MAX_TIME.getEpochSecond()) {
            throw invalid();
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static StsException invalid() {
        return new StsException(ErrorCode.INVALID_NEXT_TOKEN, "Invalid NextToken: it was not returned by this endpoint, "
                + "or was returned for a request with other parameters.", "NextToken");
    }
}
