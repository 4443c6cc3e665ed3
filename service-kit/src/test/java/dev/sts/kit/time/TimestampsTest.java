package dev.sts.kit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void roundTripsWithNanoseconds() {
        Instant i = Instant.parse("2026-11-30T01:02:03.123456789Z");
        assertThat(Timestamps.of(i).getSeconds()).isEqualTo(i.getEpochSecond());
        assertThat(Timestamps.of(i).getNanos()).isEqualTo(123_456_789);
        assertThat(Timestamps.toInstant(Timestamps.of(i))).isEqualTo(i);
    }
}
