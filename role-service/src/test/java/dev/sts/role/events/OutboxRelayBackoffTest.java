package dev.sts.role.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** While the event log is down the relay's pauses double from the interval up to the cap. */
class OutboxRelayBackoffTest {
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void pausesDoubleUpToTheCap() {
        assertThat(OutboxRelay.backoff(1, INTERVAL, MAX)).isEqualTo(Duration.ofMillis(500));
        assertThat(OutboxRelay.backoff(2, INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(1));
        assertThat(OutboxRelay.backoff(3, INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(2));
        assertThat(OutboxRelay.backoff(4, INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(4));
        assertThat(OutboxRelay.backoff(5, INTERVAL, MAX)).isEqualTo(MAX);
        assertThat(OutboxRelay.backoff(1_000_000, INTERVAL, MAX)).isEqualTo(MAX);
    }
}
