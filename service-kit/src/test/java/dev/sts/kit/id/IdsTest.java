package dev.sts.kit.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
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

    @Test
    void temporaryAccessKeyIdsAreAwsShapedAndSortByTheirMillisecond() {
        String earlier = Ids.temporaryAccessKeyId(1_764_460_800_000L);
        String later = Ids.temporaryAccessKeyId(1_764_460_800_001L);
        String muchLater = Ids.temporaryAccessKeyId(1_900_000_000_000L);
        for (String id : List.of(earlier, later, muchLater, Ids.temporaryAccessKeyId())) {
            assertThat(id).matches("ASIA[A-Z2-7]{16}");
        }
        // "2" < "7" < "A" < "Z" in ASCII, and the time is written in that order: text order is time order
        assertThat(earlier.substring(0, 13)).isLessThan(later.substring(0, 13));
        assertThat(later).isLessThan(muchLater);
        assertThat(Ids.temporaryAccessKeyId(0)).startsWith("ASIA222222222");
        assertThat(Ids.temporaryAccessKeyId((1L << 45) - 1)).startsWith("ASIAZZZZZZZZZ");
    }

    @Test
    void temporaryAccessKeyIdsOfOneMillisecondDifferInTheirRandomCharacters() {
        Set<String> ids = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String id = Ids.temporaryAccessKeyId(1_764_460_800_000L);
            assertThat(id).startsWith(Ids.temporaryAccessKeyId(1_764_460_800_000L).substring(0, 13));
            ids.add(id);
            id.substring(13).chars().forEach(c -> seen.add((char) c));
        }
        assertThat(ids).hasSize(2_000); // 35 random bits: a repeat among 2,000 has a chance of 6 in 100,000
        assertThat(seen).hasSize(32);
    }
}
