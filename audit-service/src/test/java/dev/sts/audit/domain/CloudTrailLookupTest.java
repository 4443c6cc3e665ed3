package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.sts.audit.domain.CloudTrailLookup.Attribute;
import dev.sts.audit.domain.CloudTrailLookup.AttributeKey;
import dev.sts.audit.domain.CloudTrailLookup.Page;
import dev.sts.audit.domain.CloudTrailLookup.Request;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditResource;
import dev.sts.proto.v1.UserIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudTrailLookupTest {
    private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

    /** The store's contract as JdbcAuditLog implements it: range [start, end), column filters, newest first. */
    static final class InMemoryLog implements AuditLog {
        final List<StoredRecord> rows = new ArrayList<>();
        int reads;

        void add(AuditRecord r) {
            rows.add(new StoredRecord(rows.size() + 1, r));
        }

        @Override
        public int append(List<AuditEntry> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredRecord> lookup(AuditQuery q, Cursor after, int limit) {
            return rows.stream()
                    .filter(r -> !time(r).isBefore(q.start()) && time(r).isBefore(q.end()))
                    .filter(r -> q.eventName() == null || r.record().getEventName().equals(q.eventName()))
                    .filter(r -> q.roleArn() == null || q.roleArn().equals(AuditRecords.roleArn(r.record())))
                    .filter(r -> after == null || time(r).isBefore(after.eventTime())
                            || time(r).equals(after.eventTime()) && r.id() < after.id())
                    .sorted(Comparator.comparing(CloudTrailLookupTest::time).thenComparing(StoredRecord::id).reversed())
                    .limit(limit)
                    .peek(r -> reads++)
                    .toList();
        }

        @Override
        public Optional<StoredRecord> get(UUID eventId) {
            return rows.stream().filter(r -> r.record().getEventId().equals(eventId.toString())).findFirst();
        }
    }

    static Instant time(StoredRecord r) {
        Timestamp t = r.record().getEventTime();
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    static AuditRecord record(int second, String eventName, String sessionName, String callerKey) {
        return AuditRecord.newBuilder().setEventId(UUID.randomUUID().toString()).setEventName(eventName)
                .setEventSource(AuditRecords.STS)
                .setEventTime(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + second))
                .setUserIdentity(UserIdentity.newBuilder().setType("AssumedRole").setAccessKeyId(callerKey)
                        .setArn("arn:aws:sts::000000000000:assumed-role/Dev/" + sessionName))
                .addResources(AuditResource.newBuilder().setType("AWS::IAM::Role").setArn("arn:aws:iam::000000000000:role/R" + second % 3))
                .build();
    }

    static Request request(Attribute a, int max, Cursor after) {
        return new Request(a, T0, T0.plusSeconds(100_000), max, after);
    }

    /** Every page of a lookup, in order. */
    static List<List<String>> pages(CloudTrailLookup lookup, Attribute a, int max) {
        List<List<String>> pages = new ArrayList<>();
        Cursor after = null;
        do {
            Page p = lookup.lookup(request(a, max, after));
            pages.add(p.records().stream().map(r -> r.record().getEventName() + "@" + r.record().getEventTime().getSeconds()).toList());
            after = p.next();
        } while (after != null && pages.size() < 1000);
        return pages;
    }

    @Test
    void anIndexedAttributePagesNewestFirstAndEndsWithoutAToken() {
        InMemoryLog log = new InMemoryLog();
        for (int i = 0; i < 5; i++) {
            log.add(record(i, "AssumeRole", "s" + i, "ASIA" + i));
            log.add(record(i, "RevokeSessions", "s" + i, "ASIA" + i));
        }
        List<List<String>> pages = pages(new CloudTrailLookup(log), new Attribute(AttributeKey.EventName, "AssumeRole"), 2);
        long t = T0.getEpochSecond();
        assertThat(pages).containsExactly(
                List.of("AssumeRole@" + (t + 4), "AssumeRole@" + (t + 3)),
                List.of("AssumeRole@" + (t + 2), "AssumeRole@" + (t + 1)),
                List.of("AssumeRole@" + t));
    }

    @Test
    void aDerivedAttributeIsMatchedOnTheRecordsAndPagesTheSame() {
        InMemoryLog log = new InMemoryLog();
        for (int i = 0; i < 9; i++) {
            log.add(record(i, "AssumeRole", i % 2 == 0 ? "alice" : "bob", "ASIA" + i));
        }
        List<List<String>> pages = pages(new CloudTrailLookup(log), new Attribute(AttributeKey.Username, "alice"), 2);
        assertThat(pages.stream().flatMap(List::stream).toList()).hasSize(5);
        assertThat(pages.get(0)).hasSize(2);
        assertThat(pages.stream().flatMap(List::stream).distinct().count()).isEqualTo(5);
    }

    @Test
    void oneRequestReadsAtMostTheScanLimitAndTheTokenContinuesAfterIt() {
        InMemoryLog log = new InMemoryLog();
        log.add(record(0, "AssumeRole", "needle", "ASIAN"));
        for (int i = 1; i <= CloudTrailLookup.SCAN_LIMIT + 10; i++) {
            log.add(record(i, "AssumeRole", "hay", "ASIAH"));
        }
        CloudTrailLookup lookup = new CloudTrailLookup(log);
        Attribute needle = new Attribute(AttributeKey.Username, "needle");

        Page first = lookup.lookup(request(needle, 50, null));
        assertThat(log.reads).isEqualTo(CloudTrailLookup.SCAN_LIMIT);
        assertThat(first.records()).isEmpty();
        assertThat(first.next()).isNotNull();

        Page second = lookup.lookup(request(needle, 50, first.next()));
        assertThat(second.records()).extracting(r -> CloudTrailFields.username(r.record())).containsExactly("needle");
        assertThat(second.next()).isNull();
    }

    @Test
    void accessKeyIdIsTheKeyThatSignedTheCall() {
        InMemoryLog log = new InMemoryLog();
        log.add(record(1, "AssumeRole", "alice", "ASIACALLER"));
        log.add(record(2, "AssumeRole", "bob", "ASIAOTHER"));
        Page p = new CloudTrailLookup(log).lookup(request(new Attribute(AttributeKey.AccessKeyId, "ASIACALLER"), 50, null));
        assertThat(p.records()).extracting(r -> r.record().getUserIdentity().getAccessKeyId()).containsExactly("ASIACALLER");
    }

    @Test
    void resourceNameOfARoleUsesTheStoresRoleFilterAndMatchesExactly() {
        InMemoryLog log = new InMemoryLog();
        for (int i = 0; i < 6; i++) {
            log.add(record(i, "AssumeRole", "alice", "ASIA" + i));
        }
        Page p = new CloudTrailLookup(log).lookup(request(new Attribute(AttributeKey.ResourceName,
                "arn:aws:iam::000000000000:role/R1"), 50, null));
        assertThat(p.records()).extracting(r -> r.record().getEventTime().getSeconds() - T0.getEpochSecond())
                .containsExactly(4L, 1L);
        assertThat(log.reads).isEqualTo(2);
    }

    @Test
    void anEventIdFindsItsEventOnlyInsideTheRange() {
        InMemoryLog log = new InMemoryLog();
        AuditRecord r = record(10, "AssumeRole", "alice", "ASIA1");
        log.add(r);
        CloudTrailLookup lookup = new CloudTrailLookup(log);
        Attribute id = new Attribute(AttributeKey.EventId, r.getEventId());

        assertThat(lookup.lookup(request(id, 50, null)).records()).hasSize(1);
        assertThat(lookup.lookup(new Request(id, T0, T0.plusSeconds(9), 50, null)).records()).isEmpty();
        assertThat(lookup.lookup(new Request(id, T0, T0.plusSeconds(10), 50, null)).records()).as("the end is inclusive").hasSize(1);
        assertThat(lookup.lookup(request(new Attribute(AttributeKey.EventId, "not-a-uuid"), 50, null)).records()).isEmpty();
    }

    @Test
    void theEndOfTheRangeIsInclusive() {
        InMemoryLog log = new InMemoryLog();
        log.add(record(10, "AssumeRole", "alice", "ASIA1"));
        Page p = new CloudTrailLookup(log).lookup(new Request(null, T0.plusSeconds(10), T0.plusSeconds(10), 50, null));
        assertThat(p.records()).hasSize(1);
    }
}
