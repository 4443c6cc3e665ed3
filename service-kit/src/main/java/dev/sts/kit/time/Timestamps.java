package dev.sts.kit.time;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/**
 * The one conversion between {@link Instant} and {@code google.protobuf.Timestamp}, so every event
 * and response encodes time the same way (seconds plus nanoseconds, never truncated to millis).
 */
public final class Timestamps {
    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
