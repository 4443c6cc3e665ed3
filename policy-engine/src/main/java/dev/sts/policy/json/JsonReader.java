package dev.sts.policy.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into a {@link JsonValue} tree with source offsets, on top of Jackson's
 * streaming parser. Syntax errors come out as {@link JsonSyntaxException} with a line, a column
 * and a short reason of our own wording.
 */
public final class JsonReader {

    /** Policies nest five levels deep at most; anything much deeper is hostile input. */
    public static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 8)
                    .maxStringLength(1 << 22)
                    .maxNumberLength(1000)
                    .build())
            .build();

    private JsonReader() {
    }

    /** Parses exactly one JSON value (with nothing but whitespace after it). */
    public static JsonValue read(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonSyntaxException(1, 1, "the document is empty");
            }
            JsonValue v = readValue(p, t, 0);
            JsonToken extra;
            try {
                extra = p.nextToken();
            } catch (JsonProcessingException e) {
                throw syntax(e);
            }
            if (extra != null) {
                JsonLocation loc = p.currentTokenLocation();
                throw new JsonSyntaxException(loc.getLineNr(), loc.getColumnNr(),
                        "unexpected content after the end of the document");
            }
            return v;
        } catch (JsonSyntaxException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw syntax(e);
        } catch (IOException e) {
            throw new JsonSyntaxException(1, 1, "unreadable input");
        }
    }

    private static JsonValue readValue(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            JsonLocation loc = p.currentTokenLocation();
            throw new JsonSyntaxException(loc.getLineNr(), loc.getColumnNr(), "nesting is too deep");
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        switch (t) {
            case START_OBJECT -> {
                Map<String, JsonValue> fields = new LinkedHashMap<>();
                String duplicate = null;
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken vt = p.nextToken();
                    JsonValue v = readValue(p, vt, depth + 1);
                    if (fields.put(name, v) != null && duplicate == null) {
                        duplicate = name;
                    }
                }
                if (n != JsonToken.END_OBJECT) {
                    throw unexpected(p, "an object member");
                }
                return new JsonValue.JsonObject(fields, duplicate, start, endOffset(p));
            }
            case START_ARRAY -> {
                List<JsonValue> items = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == null) {
                        throw unexpected(p, "an array element");
                    }
                    items.add(readValue(p, n, depth + 1));
                }
                return new JsonValue.JsonArray(items, start, endOffset(p));
            }
            case VALUE_STRING -> {
                return new JsonValue.JsonString(p.getText(), start, endOffset(p));
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new JsonValue.JsonNumber(p.getText(), start, endOffset(p));
            }
            case VALUE_TRUE -> {
                return new JsonValue.JsonBoolean(true, start, endOffset(p));
            }
            case VALUE_FALSE -> {
                return new JsonValue.JsonBoolean(false, start, endOffset(p));
            }
            case VALUE_NULL -> {
                return new JsonValue.JsonNull(start, endOffset(p));
            }
            default -> throw unexpected(p, "a value");
        }
    }

    private static int endOffset(JsonParser p) {
        return (int) p.currentLocation().getCharOffset();
    }

    private static JsonSyntaxException unexpected(JsonParser p, String expected) {
        JsonLocation loc = p.currentLocation();
        return new JsonSyntaxException(loc.getLineNr(), loc.getColumnNr(), "expected " + expected);
    }

    /** Rewords a Jackson error: keep its location, never its message. */
    private static JsonSyntaxException syntax(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
        String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String reason;
        if (raw.startsWith("Unexpected end-of-input") || raw.contains("end-of-input")) {
            reason = "unexpected end of input";
        } else if (raw.startsWith("Unexpected character")) {
            reason = "unexpected character";
        } else if (raw.startsWith("Unrecognized token")) {
            reason = "unrecognized token";
        } else if (raw.contains("Illegal unquoted character") || raw.contains("control character")) {
            reason = "illegal control character in a string";
        } else if (raw.contains("Unrecognized character escape") || raw.contains("escape")) {
            reason = "invalid escape sequence";
        } else if (raw.contains("nesting depth") || raw.contains("Depth")) {
            reason = "nesting is too deep";
        } else if (raw.contains("length") && raw.contains("exceeds")) {
            reason = "value is too long";
        } else if (raw.contains("Invalid UTF") || raw.contains("surrogate")) {
            reason = "invalid character encoding";
        } else if (raw.contains("Numeric value") || raw.contains("number")) {
            reason = "invalid number";
        } else {
            reason = "malformed JSON";
        }
        return new JsonSyntaxException(line, col, reason);
    }
}
