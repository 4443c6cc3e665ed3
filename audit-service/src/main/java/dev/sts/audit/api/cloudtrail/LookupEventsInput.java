package dev.sts.audit.api.cloudtrail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.audit.domain.CloudTrailLookup;
import dev.sts.audit.domain.CloudTrailLookup.Attribute;
import dev.sts.audit.domain.CloudTrailLookup.AttributeKey;
import dev.sts.audit.domain.Cursor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A LookupEvents request body (awsJson1_1) turned into the domain's request, with CloudTrail's
 * rules and error codes (CloudTrail API reference, LookupEvents):
 * <ul>
 * <li>{@code LookupAttributes}: "Contains a list of lookup attributes. Currently the list can
 * contain only one item." A second item, an unknown {@code AttributeKey} or an
 * {@code AttributeValue} outside 1-2000 characters is InvalidLookupAttributesException.</li>
 * <li>{@code StartTime} / {@code EndTime}: epoch seconds (the protocol's timestamp format),
 * inclusive; a start after the end is InvalidTimeRangeException. Without them: the last 90 days, as
 * CloudTrail's event history.</li>
 * <li>{@code MaxResults}: 1-50, 50 when absent; else InvalidMaxResultsException.</li>
 * <li>{@code EventCategory}: only "insight" (InvalidEventCategoryException otherwise); this log
 * holds no Insights events, so such a lookup finds none.</li>
 * <li>{@code NextToken}: see {@link NextToken}.</li>
 * </ul>
 * The body is parsed by Jackson with limits (depth, string and number lengths, duplicate keys
 * refused) after the endpoint has bounded its size; a body that is not this JSON is
 * SerializationException, as the protocol names it.
 */
final class LookupEventsInput {
    static final int MAX_RESULTS = 50;
    static final int MAX_ATTRIBUTE_VALUE = 2000;
    static final Duration DEFAULT_RANGE = Duration.ofDays(90);
    /** The times a request may name: the epoch up to the end of year 9999. */
    static final Instant MIN_TIME = Instant.EPOCH;
    static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");
    private static final Map<String, AttributeKey> KEYS = Arrays.stream(AttributeKey.values())
            .collect(Collectors.toUnmodifiableMap(Enum::name, k -> k));

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxStringLength(8 * 1024)
                    .maxNumberLength(40)
                    .maxNameLength(256)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    /** The domain request, or {@code null} for an Insights lookup (which finds nothing here). */
    private final CloudTrailLookup.Request request;
    /** The time range every page of this lookup covers, and the parameters its NextTokens are bound to. */
    private final Instant start;
    private final Instant end;
    private final List<String> parameters;

    private LookupEventsInput(CloudTrailLookup.Request request, Instant start, Instant end, List<String> parameters) {
        this.request = request;
        this.start = start;
        this.end = end;
        this.parameters = parameters;
    }

    /** The domain's request, or {@code null} for an Insights lookup. */
    CloudTrailLookup.Request request() {
        return request;
    }

    /** The NextToken that continues this lookup after {@code position}. */
    String nextToken(Cursor position) {
        return NextToken.of(position, start, end, parameters).encode();
    }

    static LookupEventsInput parse(byte[] body, Instant now) {
        JsonNode root = tree(body);
        Attribute attribute = attribute(root.get("LookupAttributes"));
        Instant start = time(root, "StartTime");
        Instant end = time(root, "EndTime");
        String category = string(root, "EventCategory", 64);
        if (category != null && !category.equals("insight")) {
            throw new StsException(ErrorCode.INVALID_EVENT_CATEGORY, "EventCategory must be 'insight'.", "EventCategory");
        }
        int max = maxResults(root.get("MaxResults"));
        String token = string(root, "NextToken", NextToken.MAX_CHARS + 1);

        Instant resolvedEnd = end != null ? end : now;
        Instant resolvedStart = start != null ? start : resolvedEnd.minus(DEFAULT_RANGE);
        if (resolvedStart.isAfter(resolvedEnd)) {
            throw new StsException(ErrorCode.INVALID_TIME_RANGE, "StartTime must be before or at EndTime.", "StartTime");
        }
        List<String> parameters = Arrays.asList(attribute == null ? null : attribute.key().name(),
                attribute == null ? null : attribute.value(), start == null ? null : start.toString(),
                end == null ? null : end.toString(), category);
        Cursor after = null;
        if (token != null) {
            // Later pages cover the range the first page resolved, whatever "now" is.
            NextToken t = NextToken.decode(token, parameters);
            after = t.position();
            resolvedStart = t.start();
            resolvedEnd = t.end();
        }
        CloudTrailLookup.Request request = category != null ? null
                : new CloudTrailLookup.Request(attribute, resolvedStart, resolvedEnd, max, after);
        return new LookupEventsInput(request, resolvedStart, resolvedEnd, parameters);
    }

    private static JsonNode tree(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw serialization("The request body must be a JSON object.");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw serialization("The request body is not valid JSON.");
        } catch (IOException e) {
            throw serialization("The request body could not be read.");
        }
    }

    private static Attribute attribute(JsonNode list) {
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw serialization("LookupAttributes must be a list.");
        }
        if (list.size() > 1) {
            throw new StsException(ErrorCode.INVALID_LOOKUP_ATTRIBUTES,
                    "LookupAttributes can contain only one item.", "LookupAttributes");
        }
        if (list.isEmpty()) {
            return null;
        }
        JsonNode item = list.get(0);
        if (!item.isObject()) {
            throw serialization("A LookupAttribute must be an object.");
        }
        String key = string(item, "AttributeKey", 64);
        String value = string(item, "AttributeValue", MAX_ATTRIBUTE_VALUE + 1);
        AttributeKey k = key == null ? null : KEYS.get(key);
        if (k == null) {
            throw new StsException(ErrorCode.INVALID_LOOKUP_ATTRIBUTES, "AttributeKey must be one of "
                    + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ".", "LookupAttributes.AttributeKey");
        }
        if (value == null || value.isEmpty() || value.length() > MAX_ATTRIBUTE_VALUE) {
            throw new StsException(ErrorCode.INVALID_LOOKUP_ATTRIBUTES,
                    "AttributeValue must be 1-" + MAX_ATTRIBUTE_VALUE + " characters.", "LookupAttributes.AttributeValue");
        }
        if (k == AttributeKey.ReadOnly && !value.equals("true") && !value.equals("false")) {
            throw new StsException(ErrorCode.INVALID_LOOKUP_ATTRIBUTES,
                    "The ReadOnly attribute's value must be true or false.", "LookupAttributes.AttributeValue");
        }
        return new Attribute(k, value);
    }

    private static Instant time(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw serialization(field + " must be a timestamp in epoch seconds.");
        }
        BigDecimal seconds = n.decimalValue();
        if (seconds.compareTo(BigDecimal.valueOf(MIN_TIME.getEpochSecond())) < 0
                || seconds.compareTo(BigDecimal.valueOf(MAX_TIME.getEpochSecond())) > 0) {
            throw new StsException(ErrorCode.INVALID_TIME_RANGE, field + " is outside the range of possible times.", field);
        }
        long whole = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static int maxResults(JsonNode n) {
        if (n == null || n.isNull()) {
            return MAX_RESULTS;
        }
        if (!n.isIntegralNumber()) {
            throw serialization("MaxResults must be an integer.");
        }
        if (!n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_RESULTS) {
            throw new StsException(ErrorCode.INVALID_MAX_RESULTS, "MaxResults must be between 1 and " + MAX_RESULTS + ".",
                    "MaxResults");
        }
        return n.intValue();
    }

    /** A string member, or {@code null} when absent; longer than {@code max} is cut to it (callers check). */
    private static String string(JsonNode parent, String field, int max) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw serialization(field + " must be a string.");
        }
        String s = n.textValue();
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static StsException serialization(String message) {
        return new StsException(ErrorCode.SERIALIZATION_EXCEPTION, message, "body");
    }
}
