package dev.sts.token.domain;

import java.time.Instant;
import java.util.List;

/** Where revocations are kept (port; JDBC in {@code persistence}). Blocking: call it off the event loop. */
public interface RevocationStore {
    /** A stored revocation whose event must still be published or tombstoned. */
    record Pending(String id, byte[] event) {
    }

    /** Stores a revocation and the bytes of its event, not yet published. */
    void insert(Revocation revocation, String actorArn, byte[] event);

    void markPublished(String id, Instant at);

    /** Revocations not expired at {@code now} whose event was not acknowledged and that were stored before {@code storedBefore}. */
    List<Pending> unpublished(Instant now, Instant storedBefore, int limit);

    /** Revocations expired at {@code now} whose key was not tombstoned yet. */
    List<Pending> expired(Instant now, int limit);

    void markTombstoned(String id, Instant at);
}
