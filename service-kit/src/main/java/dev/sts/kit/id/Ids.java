package dev.sts.kit.id;

import java.util.UUID;

/**
 * The one generator of the ids this system hands out: event ids (consumers deduplicate on them)
 * and session ids (a token's {@code jti}). Random UUIDs, so replicas need no coordination.
 */
public final class Ids {
    private Ids() {
    }

    /** A new event id for an {@code EventHeader}. */
    public static String eventId() {
        return UUID.randomUUID().toString();
    }

    /** A new session id, the {@code jti} of a session token. */
    public static String sessionId() {
        return UUID.randomUUID().toString();
    }
}
