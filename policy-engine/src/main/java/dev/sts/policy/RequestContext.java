package dev.sts.policy;

import dev.sts.policy.condition.ConditionContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request context: condition keys and their values. Key names are case-insensitive
 * ({@code aws:CurrentTime} is {@code AWS:currenttime}); values are strings. A key is either
 * single-valued or multi-valued ({@code aws:TagKeys}, {@code aws:CalledVia}, ...; possibly empty);
 * only single-valued keys can be used as policy variables. An absent key is simply not there.
 */
public final class RequestContext implements ConditionContext {

    private static final RequestContext EMPTY = new RequestContext(Map.of());

    private record Entry(String key, List<String> values, boolean multiValued) {
    }

    private final Map<String, Entry> entries;

    private RequestContext(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static RequestContext empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Convenience: every key single-valued. */
    public static RequestContext of(Map<String, String> singleValued) {
        Builder b = builder();
        singleValued.forEach(b::put);
        return b.build();
    }

    @Override
    public List<String> values(String lowerKey) {
        Entry e = entries.get(lowerKey);
        return e == null ? null : e.values;
    }

    @Override
    public String singleValue(String lowerKey) {
        Entry e = entries.get(lowerKey);
        if (e == null || e.multiValued || e.values.size() != 1) {
            return null;
        }
        return e.values.get(0);
    }

    /** The values of a key (any case), if present. */
    public Optional<List<String>> get(String key) {
        return Optional.ofNullable(values(key.toLowerCase(Locale.ROOT)));
    }

    /** The single value of a key (any case), if present and single-valued. */
    public Optional<String> getSingle(String key) {
        return Optional.ofNullable(singleValue(key.toLowerCase(Locale.ROOT)));
    }

    public boolean isMultiValued(String key) {
        Entry e = entries.get(key.toLowerCase(Locale.ROOT));
        return e != null && e.multiValued;
    }

    /** The keys as first spelled, with their values. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        entries.values().forEach(e -> m.put(e.key, e.values));
        return Collections.unmodifiableMap(m);
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    public static final class Builder {
        private final Map<String, Entry> entries = new HashMap<>();

        private Builder() {
        }

        /** A single-valued key (replaces any earlier value of the same key in any case). */
        public Builder put(String key, String value) {
            entries.put(key.toLowerCase(Locale.ROOT), new Entry(key, List.of(value), false));
            return this;
        }

        /** A multi-valued key; the list may be empty. */
        public Builder putMulti(String key, List<String> values) {
            entries.put(key.toLowerCase(Locale.ROOT), new Entry(key, List.copyOf(values), true));
            return this;
        }

        public RequestContext build() {
            return entries.isEmpty() ? EMPTY : new RequestContext(Map.copyOf(entries));
        }
    }
}
