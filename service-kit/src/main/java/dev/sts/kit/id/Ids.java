package dev.sts.kit.id;

import java.util.UUID;

/**
 * The one generator of the ids this system hands out: event ids (consumers deduplicate on them),
 * session ids (a token's {@code jti}) and signing key ids. Random UUIDs, so replicas need no coordination.
 */
public final class Ids {
    private Ids() {
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
