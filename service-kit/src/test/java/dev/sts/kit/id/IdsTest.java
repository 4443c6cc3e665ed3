package dev.sts.kit.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void eventAndSessionIdsAreVersion7UuidsOfTheirMillisecond() {
        long before = System.currentTimeMillis();
        UUID event = UUID.fromString(Ids.eventId());
        UUID session = UUID.fromString(Ids.sessionId());
        long after = System.currentTimeMillis();
        for (UUID id : new UUID[] {event, session}) {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2); // RFC 9562's variant, 10xx
            assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
        }
    }

    @Test
    void theTimestampIsTheFirst48BitsAsRfc9562Writes() {
        // RFC 9562 Appendix A.6: 2022-02-22T19:22:22Z is 0x017F22E279B0 milliseconds.
        long millis = Instant.parse("2022-02-22T19:22:22Z").toEpochMilli();
        assertThat(millis).isEqualTo(0x017F22E279B0L);
        String id = Ids.timeOrderedUuid(millis).toString();
        assertThat(id).startsWith("017f22e2-79b0-7");
        assertThat(id.charAt(19)).isIn('8', '9', 'a', 'b');
    }

    @Test
    void idsOfLaterMillisecondsSortAfterInTheirTextAndByteOrder() {
        // PostgreSQL orders uuid by its bytes, which is the order of the lower-case text.
        String earlier = Ids.timeOrderedUuid(1_764_460_800_000L).toString();
        String later = Ids.timeOrderedUuid(1_764_460_800_001L).toString();
        String muchLater = Ids.timeOrderedUuid(1_900_000_000_000L).toString();
        assertThat(earlier).isLessThan(later);
        assertThat(later).isLessThan(muchLater);
    }

    @Test
    void idsOfOneMillisecondDifferInTheir74RandomBits() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Ids.timeOrderedUuid(1_764_460_800_000L));
        }
        assertThat(ids).hasSize(100_000);
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_764_460_800_000L);
        });
    }
}
