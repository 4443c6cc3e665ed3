package dev.sts.audit.domain;

import com.google.protobuf.Timestamp;
import dev.sts.proto.v1.AuditRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * CloudTrail's LookupEvents over the audit log: one lookup attribute (CloudTrail allows one per
 * request), an inclusive time range, newest first, pages of at most 50.
 *
 * <p>An attribute with a column of its own (EventName; ResourceName when it names a role) is
 * answered by the store's query, the same one the gRPC LookupEvents runs. The others (Username,
 * ReadOnly, ResourceType, EventSource, AccessKeyId, and ResourceName of a policy) are CloudTrail
 * fields derived from the record ({@link CloudTrailFields}); until they have columns they are
 * matched on the records the time range yields, at most {@link #SCAN_LIMIT} per request. A request
 * that reaches that bound returns what it found with a NextToken that continues after the last
 * record it read, so the work per request is bounded and paging still visits every record. A page
 * may then hold fewer than MaxResults events, or none, with a NextToken: callers page until no
 * token comes back, as with CloudTrail.
 */
public final class CloudTrailLookup {
    /** Records read per request when a filter has no column: bounds the work one request causes. */
    public static final int SCAN_LIMIT = 2000;
    private static final int BATCH = 250;

    /** CloudTrail's LookupAttributeKey values. */
    public enum AttributeKey {
        EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId
    }

    /** One lookup attribute: its key and its value, already bounded by the protocol layer. */
    public record Attribute(AttributeKey key, String value) {
        public Attribute {
            Objects.requireNonNull(key);
            Objects.requireNonNull(value);
        }
    }

    /**
     * @param attribute the lookup attribute, or {@code null} for every event in the range
     * @param start inclusive
     * @param end inclusive (CloudTrail: "events that occur before or at the specified time")
     * @param after the position after which this page starts, or {@code null} for the first page
     */
    public record Request(Attribute attribute, Instant start, Instant end, int maxResults, Cursor after) {
    }

    /** A page of records, newest first, and where the next page starts ({@code null}: no more). */
    public record Page(List<StoredRecord> records, Cursor next) {
    }

    private final AuditLog store;

    public CloudTrailLookup(AuditLog store) {
        this.store = store;
    }

    public Page lookup(Request request) {
        Attribute a = request.attribute();
        if (a != null && a.key() == AttributeKey.EventId) {
            return byEventId(request, a.value());
        }
        // The store's range is [start, end); CloudTrail's end is inclusive, and PostgreSQL keeps
        // microseconds: the first microsecond after end is the exclusive bound.
        Instant endExclusive = request.end().truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
        String eventName = a != null && a.key() == AttributeKey.EventName ? a.value() : null;
        String roleArn = a != null && a.key() == AttributeKey.ResourceName && a.value().contains(":role/") ? a.value() : null;
        AuditQuery query = query(request.start(), endExclusive, eventName, roleArn);
        Predicate<AuditRecord> residual = residual(a);
        return residual == null ? indexed(query, request) : scanned(query, residual, request);
    }

    /**
     * The store's query for a time range and the filters that have columns. The one place this
     * class builds an {@link AuditQuery}.
     */
    private static AuditQuery query(Instant start, Instant endExclusive, String eventName, String roleArn) {
        return new AuditQuery(start, endExclusive, null, roleArn, null, null, null, eventName, null);
    }

    /** The match on a derived field, or {@code null} when the store's query alone answers. */
    static Predicate<AuditRecord> residual(Attribute a) {
        if (a == null) {
            return null;
        }
        String v = a.value();
        return switch (a.key()) {
            case EventId, EventName -> null;
            case ReadOnly -> r -> Boolean.toString(CloudTrailFields.readOnly(r)).equals(v);
            case Username -> r -> CloudTrailFields.username(r).equals(v);
            case ResourceType -> r -> CloudTrailFields.resources(r).stream().anyMatch(x -> x.type().equals(v));
            case ResourceName -> r -> CloudTrailFields.resources(r).stream().anyMatch(x -> x.name().equals(v));
            case EventSource -> r -> r.getEventSource().equals(v);
            // CloudTrail's AccessKeyId is the key that signed the request (userIdentity.accessKeyId),
            // not a key the call issued (that one is among the Resources, as AWS::IAM::AccessKey).
            case AccessKeyId -> r -> r.getUserIdentity().getAccessKeyId().equals(v);
        };
    }

    private Page indexed(AuditQuery query, Request request) {
        int max = request.maxResults();
        List<StoredRecord> rows = store.lookup(query, request.after(), max + 1);
        if (rows.size() <= max) {
            return new Page(rows, null);
        }
        List<StoredRecord> page = List.copyOf(rows.subList(0, max));
        return new Page(page, cursorOf(page.get(max - 1)));
    }

    private Page scanned(AuditQuery query, Predicate<AuditRecord> match, Request request) {
        int max = request.maxResults();
        List<StoredRecord> out = new ArrayList<>();
        Cursor position = request.after();
        int read = 0;
        while (true) {
            int batch = Math.min(BATCH, SCAN_LIMIT - read);
            List<StoredRecord> rows = store.lookup(query, position, batch);
            for (int i = 0; i < rows.size(); i++) {
                StoredRecord row = rows.get(i);
                read++;
                position = cursorOf(row);
                if (match.test(row.record())) {
                    out.add(row);
                    if (out.size() == max) {
                        // Another match may follow: among the rows already read, or, when this
                        // batch was full, in the store. The next page starts after this record.
                        boolean more = rows.subList(i + 1, rows.size()).stream().anyMatch(x -> match.test(x.record()))
                                || rows.size() == batch;
                        return new Page(out, more ? position : null);
                    }
                }
            }
            if (rows.size() < batch) {
                return new Page(out, null);
            }
            if (read >= SCAN_LIMIT) {
                return new Page(out, position);
            }
        }
    }

    private Page byEventId(Request request, String value) {
        UUID id;
        try {
            id = UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            // No event has an id that is not a UUID: nothing matches, as for any unknown id.
            return new Page(List.of(), null);
        }
        if (request.after() != null) {
            return new Page(List.of(), null);
        }
        return new Page(store.get(id).filter(r -> within(r.record().getEventTime(), request)).stream().toList(), null);
    }

    private static boolean within(Timestamp t, Request request) {
        Instant at = Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
        return !at.isBefore(request.start()) && !at.isAfter(request.end());
    }

    private static Cursor cursorOf(StoredRecord row) {
        Timestamp t = row.record().getEventTime();
        return new Cursor(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), row.id());
    }
}
