package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The revocations topic (port; Kafka in {@code events}): every replica and every service learns a
 * revocation from it, and audit-service records it.
 */
public interface RevocationLog {
    /** Completes when the event log is believed to accept events now; fails {@code ServiceUnavailable} otherwise. */
    Uni<Void> requireRecordable();

    /** The serialized {@code SessionsRevoked} event of a revocation (event id = revocation id). */
    byte[] encode(Revocation revocation, CallerIdentity caller, CallContext call);

    /** Completes once the broker acknowledged the event (acks=all); fails {@code ServiceUnavailable} otherwise. */
    Uni<Void> publish(String revocationId, byte[] event);

    /** Publishes the tombstone of an expired revocation's key. */
    Uni<Void> tombstone(String revocationId);
}
