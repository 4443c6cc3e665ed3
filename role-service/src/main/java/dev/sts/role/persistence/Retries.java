package dev.sts.role.persistence;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Bounded retries of an optimistic write that lost a race: a short, growing, jittered pause
 * (so that writers that collided do not collide again in step), on the caller's Vert.x context,
 * where reactive sessions must run. After the last attempt the caller gets
 * {@code ConcurrentModification}: nothing was changed, and sending the request again is safe.
 */
final class Retries {
    /** Attempts in all. Each lost attempt means another writer committed, so all writers progress. */
    static final int MAX_ATTEMPTS = 12;
    static final long MAX_PAUSE_MILLIS = 200;

    /** Thrown by a write that found the row changed since it was read; it rolls the transaction back. */
    static final class Conflict extends RuntimeException {
        Conflict() {
            super("changed concurrently", null, false, false);
        }
    }

    private Retries() {
    }

    static <T> Uni<T> onConflict(String entity, Supplier<Uni<T>> attempt) {
        return attempt(entity, attempt, 1);
    }

    private static <T> Uni<T> attempt(String entity, Supplier<Uni<T>> attempt, int n) {
        return Uni.createFrom().<T>deferred(attempt::get).onFailure(Conflict.class).recoverWithUni(e -> {
            if (n >= MAX_ATTEMPTS) {
                return Uni.createFrom().failure(new StsException(ErrorCode.CONCURRENT_MODIFICATION,
                        "The request was rejected because multiple requests to change " + entity
                                + " were submitted simultaneously. Nothing was changed; send the request again."));
            }
            return pause(n).chain(() -> attempt(entity, attempt, n + 1));
        });
    }

    /** A pause that grows with the attempt, jittered, ending on the current Vert.x context (if any). */
    private static Uni<Void> pause(int attempt) {
        long max = Math.min(MAX_PAUSE_MILLIS, 2L << Math.min(attempt, 7));
        long millis = 1 + ThreadLocalRandom.current().nextLong(max);
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(java.time.Duration.ofMillis(millis));
        }
        // A Vert.x timer set on a context fires on that context.
        return Uni.createFrom().emitter(em -> context.owner().setTimer(millis, id -> em.complete(null)));
    }
}
