package dev.sts.audit.events;

import java.time.Duration;

/** Exponential pauses between retries, capped, so an outage is neither hammered nor waited out too long. */
record Backoff(Duration initial, Duration max) {
    /** The pause before retry number {@code attempt} (1 = first retry). */
    Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 20);
        long millis = initial.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** Sleeps; an interrupt surfaces as {@link InterruptedException} so that no caller commits afterwards. */
    void pause(int attempt) throws InterruptedException {
        Thread.sleep(delay(attempt).toMillis());
    }
}
