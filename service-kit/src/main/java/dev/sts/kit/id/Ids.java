package dev.sts.kit.id;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The one generator of the ids this system hands out: event ids (consumers deduplicate on them),
 * session ids (a token's {@code jti}), signing key ids and IAM unique ids. Random, so replicas
 * need no coordination.
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

    /** A new event id for an {@code EventHeader}. */
    public static String eventId() {
        return UUID.randomUUID().toString();
    }

    /** A new signing key id (a JWS {@code kid}). */
    public static String signingKeyId() {
        return "sts-" + UUID.randomUUID();
    }

    /** A new session id, the {@code jti} of a session token. */
    public static String sessionId() {
        return UUID.randomUUID().toString();
    }
}
