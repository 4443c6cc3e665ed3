package dev.sts.audit.domain;

import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** An opaque page token: the position (event time, row id) of the last record of a page. */
public record Cursor(Instant eventTime, long id) {

    /** The position of a stored record. */
    public static Cursor of(StoredRecord r) {
        return new Cursor(r.eventTime(), r.id());
    }

    public String encode() {
        String raw = eventTime.getEpochSecond() + ":" + eventTime.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), Long.parseLong(p[2]));
        } catch (RuntimeException e) {
            throw StsException.invalid("page_token", "page_token is not a token this service returned");
        }
    }
}
