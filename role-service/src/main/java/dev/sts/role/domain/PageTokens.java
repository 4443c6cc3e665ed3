package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Page sizes and opaque page tokens. A token is the position after the last item of a page (its
 * sort key), not an offset: the next page starts after that key however many items were added or
 * removed before it, so paging never skips or repeats an item that existed throughout. A token
 * names the list it belongs to; one from another list, or anything else, answers
 * {@code InvalidInput} on {@code page_token}.
 */
public final class PageTokens {
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Longer than any token this service hands out (two keys of at most 700 characters). */
    static final int MAX_TOKEN_LENGTH = 4096;
    private static final char SEPARATOR = '\n';

    private PageTokens() {
    }

    /** 1-1000; 100 when unset (0). */
    public static int pageSize(int requested) {
        if (requested == 0) {
            return DEFAULT_PAGE_SIZE;
        }
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw StsException.invalid("page_size", "page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return requested;
    }

    /** The token of the position after {@code key} in the list {@code list}. */
    public static String encode(String list, String... key) {
        StringBuilder sb = new StringBuilder(list);
        for (String part : key) {
            sb.append(SEPARATOR).append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key a token of {@code list} holds, one part per validator, each checked by it; null for
     * an empty token (the first page).
     */
    @SafeVarargs
    public static List<String> decode(String list, String token, Predicate<String>... parts) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        List<String> fields = List.of(text.split(String.valueOf(SEPARATOR), -1));
        if (fields.size() != parts.length + 1 || !fields.get(0).equals(list)) {
            throw invalid();
        }
        List<String> key = fields.subList(1, fields.size());
        for (int i = 0; i < parts.length; i++) {
            if (key.get(i).isEmpty() || !parts[i].test(key.get(i))) {
                throw invalid();
            }
        }
        return key;
    }

    private static StsException invalid() {
        return new StsException(ErrorCode.INVALID_INPUT, "page_token is not a token this list returned", "page_token");
    }

    /**
     * The page of {@code sorted} items that come after {@code after} (by {@code keyOf}), for lists
     * held in memory (a role's inline and attached policies, a policy's versions).
     */
    public static <T> Page<T> page(List<T> sorted, int size, Function<T, String> keyOf,
            java.util.Comparator<String> order, String after, String list) {
        List<T> rest = after == null ? sorted
                : sorted.stream().filter(t -> order.compare(keyOf.apply(t), after) > 0).toList();
        if (rest.size() <= size) {
            return new Page<>(rest, "");
        }
        List<T> items = rest.subList(0, size);
        return new Page<>(items, encode(list, keyOf.apply(items.get(size - 1))));
    }
}
