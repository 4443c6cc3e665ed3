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

    /** The base32 letters AWS access key ids use, in their ASCII order, so that a larger number sorts later. */
    private static final char[] SORTED_BASE32 = "234567ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    /**
     * A new temporary access key id, shaped as AWS's ("ASIA" and 16 characters of A-Z and 2-7),
     * time-ordered as event and session ids are: 9 characters of Unix milliseconds (45 bits, in
     * an order-preserving alphabet), then 7 random characters (35 bits). Every one is a key of the
     * audit log's access key index, where random ids cost an insert on a random page (docs/adr/029).
     * An access key id is not a secret (AWS: "access key IDs are not secret"); the session's secret
     * is derived from its id, its access key id and the key ring, never guessed from either. Two
     * sessions of the same millisecond get the same id with a chance of one in 34 billion per pair.
     */
    public static String temporaryAccessKeyId() {
        return temporaryAccessKeyId(System.currentTimeMillis());
    }

    static String temporaryAccessKeyId(long unixMillis) {
        char[] out = new char[16];
        for (int i = 8; i >= 0; i--) {
            out[i] = SORTED_BASE32[(int) (unixMillis & 31)];
            unixMillis >>>= 5;
        }
        byte[] random = new byte[7];
        RANDOM.nextBytes(random);
        for (int i = 0; i < 7; i++) {
            out[9 + i] = BASE32[random[i] & 31];
        }
        return "ASIA" + new String(out);
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
