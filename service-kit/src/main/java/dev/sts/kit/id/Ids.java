package dev.sts.kit.id;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The one generator of the ids this system hands out: event ids (consumers deduplicate on them),
 * session ids (a token's {@code jti}), signing key ids and IAM unique ids. Random, so replicas
 * need no coordination.
 *
 * <p>Event ids and session ids are time-ordered UUIDs (version 7, RFC 9562 section 5.7: 48 bits of
 * Unix milliseconds, then 74 random bits), because every one of them becomes a key of a unique
 * index in the audit log (and session ids of the token store): ids made in the same second sort
 * together, so an insert touches the index's newest pages instead of a random page of an index
 * that outgrows memory (docs/adr/029). They reveal when they were made, which the event and the
 * token carry anyway; nothing relies on them being unguessable (a session is proved by its signed
 * token, never by its id).
 */
public final class Ids {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /**
     * A new IAM unique id: the type's prefix ("AROA" for a role, "ANPA" for a managed policy)
     * and 17 random base32 characters, as IAM's unique ids look. A re-created entity gets a new
     * one, so policies that name the id do not follow a new entity of the same name.
     */
    public static String iamId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            sb.append(BASE32[RANDOM.nextInt(32)]);
        }
        return sb.toString();
    }

    /** A new event id for an {@code EventHeader}: a time-ordered UUID. */
    public static String eventId() {
        return timeOrderedUuid().toString();
    }

    /**
     * A new time-ordered UUID (version 7, RFC 9562 section 5.7): the Unix time in milliseconds in
     * the first 48 bits, the version, 12 random bits, the variant, 62 random bits. Within one
     * millisecond the order is random; across milliseconds it follows the clock.
     */
    public static UUID timeOrderedUuid() {
        return timeOrderedUuid(System.currentTimeMillis());
    }

    static UUID timeOrderedUuid(long unixMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random[0] & 0x0FL) << 8 | (random[1] & 0xFFL);
        long lsb = 0;
        for (int i = 2; i < 10; i++) {
            lsb = lsb << 8 | (random[i] & 0xFFL);
        }
        lsb = lsb & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L; // variant 10xx (RFC 9562 section 4.1)
        return new UUID(msb, lsb);
    }

    /** A new signing key id (a JWS {@code kid}). */
    public static String signingKeyId() {
        return "sts-" + UUID.randomUUID();
    }

    /** A new session id, the {@code jti} of a session token: a time-ordered UUID. */
    public static String sessionId() {
        return timeOrderedUuid().toString();
    }
}
