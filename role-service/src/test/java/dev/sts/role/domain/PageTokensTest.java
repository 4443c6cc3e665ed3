package dev.sts.role.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Page tokens are positions (sort keys) of one list; anything else is InvalidInput on page_token. */
class PageTokensTest {

    @Test
    void aTokenIsThePositionAfterTheLastItemOfItsPage() {
        List<String> names = List.of("a", "b", "c", "d", "e");
        Page<String> first = PageTokens.page(names, 2, n -> n, Comparator.naturalOrder(), null, "names");
        assertThat(first.items()).containsExactly("a", "b");
        List<String> after = PageTokens.decode("names", first.nextPageToken(), k -> true);
        assertThat(after).containsExactly("b");
        // an item added before the position is not seen, none after it is skipped
        List<String> grown = List.of("a", "aa", "b", "bb", "c", "d", "e");
        Page<String> second = PageTokens.page(grown, 2, n -> n, Comparator.naturalOrder(), after.get(0), "names");
        assertThat(second.items()).containsExactly("bb", "c");
        Page<String> last = PageTokens.page(grown, 10, n -> n, Comparator.naturalOrder(), "c", "names");
        assertThat(last.items()).containsExactly("d", "e");
        assertThat(last.nextPageToken()).isEmpty();
    }

    @Test
    void tokensOfAnotherListOrShapeOrValueAreInvalidInput() {
        String other = PageTokens.encode("roles", "x");
        for (String bad : List.of(other, "%%%", "x".repeat(5000),
                Base64.getUrlEncoder().encodeToString("names".getBytes()),
                PageTokens.encode("names", "x", "y"), PageTokens.encode("names", ""), PageTokens.encode("names", "BAD"))) {
            assertThatThrownBy(() -> PageTokens.decode("names", bad, k -> k.equals(k.toLowerCase())))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.field()).isEqualTo("page_token");
                    });
        }
        assertThat(PageTokens.decode("names", "", k -> true)).isNull();
    }

    @Test
    void pageSizesAreOneToOneThousandAndOneHundredByDefault() {
        assertThat(PageTokens.pageSize(0)).isEqualTo(100);
        assertThat(PageTokens.pageSize(1)).isEqualTo(1);
        assertThat(PageTokens.pageSize(1000)).isEqualTo(1000);
        for (int bad : new int[] {-1, 1001, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> PageTokens.pageSize(bad)).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.field()).isEqualTo("page_size"));
        }
    }
}
