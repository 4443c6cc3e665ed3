package dev.sts.policy.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal immutable JSON tree. The policy parser walks it with a path in hand so every
 * validation message can name the place ({@code Statement[2].Condition}); Jackson's own
 * exceptions never reach a caller.
 */
public sealed interface JsonValue {

    /** Offset of the first character of this value in the source text. */
    int start();

    /** Offset just past the last character of this value in the source text. */
    int end();

    /** A short name of the JSON type, for messages ("a string", "an array", ...). */
    String typeName();

    record JsonString(String value, int start, int end) implements JsonValue {
        @Override
        public String typeName() {
            return "a string";
        }
    }

    /** A number, kept as written (policy values are compared as text or parsed by the operator). */
    record JsonNumber(String text, int start, int end) implements JsonValue {
        @Override
        public String typeName() {
            return "a number";
        }
    }

    record JsonBoolean(boolean value, int start, int end) implements JsonValue {
        @Override
        public String typeName() {
            return "a boolean";
        }
    }

    record JsonNull(int start, int end) implements JsonValue {
        @Override
        public String typeName() {
            return "null";
        }
    }

    record JsonArray(List<JsonValue> items, int start, int end) implements JsonValue {
        public JsonArray {
            items = List.copyOf(items);
        }

        @Override
        public String typeName() {
            return "an array";
        }
    }

    /**
     * An object. {@code duplicateKey} names the first key that occurred twice (the map keeps the
     * last value), so strict callers can reject it and lenient ones can ignore it.
     */
    record JsonObject(Map<String, JsonValue> fields, String duplicateKey, int start, int end) implements JsonValue {
        public JsonObject {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public JsonValue get(String key) {
            return fields.get(key);
        }

        @Override
        public String typeName() {
            return "an object";
        }
    }

    /** The scalar as policy text: strings as is, numbers as written, booleans as true/false. */
    static String scalarText(JsonValue v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        if (v instanceof JsonNumber n) {
            return n.text();
        }
        if (v instanceof JsonBoolean b) {
            return Boolean.toString(b.value());
        }
        return null;
    }
}
