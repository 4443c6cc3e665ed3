package dev.sts.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.sts.audit.AuditDatabaseResource;
import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.ChainHash;
import dev.sts.audit.domain.RecordRejectedException;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.UserIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import dev.sts.audit.api.VerifyChainRpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.VerifyChainRequest;

/**
 * Batched appends against the real database: a batch extends each chain in order across the
 * batch, skips ids it holds twice or that are stored already, and is all or nothing.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class BatchAppendTest {
    static final Instant TIME = Instant.parse("2026-03-04T05:06:07.123456Z");

    @Inject
    AuditLog log;

    @Inject
    VerifyChainRpc verifyChain;

    static AuditEntry entry(String topic, int partition, long offset, String eventId, String principal) {
        AuditRecord r = AuditRecord.newBuilder().setEventVersion("1.0").setEventId(eventId).setEventName("AssumeRole")
                .setEventSource("sts.amazonaws.com").setOutcome("Success").setRecipientAccountId("000000000000")
                .setAccessKeyId("ASIA" + offset).setSessionId(eventId)
                .setEventTime(Timestamp.newBuilder().setSeconds(TIME.getEpochSecond()).setNanos(TIME.getNano()))
                .setUserIdentity(UserIdentity.newBuilder().setArn(principal)).build();
        return new AuditEntry(topic, partition, offset, r);
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aBatchExtendsEachChainInOrderAndStoresEachEventOnce() throws Exception {
        String topic = "test-batch-" + UUID.randomUUID();
        String a = id(), b = id(), c = id(), d = id(), e = id();
        String p = "arn:aws:iam::000000000000:user/alice";

        int added = log.append(List.of(entry(topic, 0, 0, a, p), entry(topic, 1, 0, b, p), entry(topic, 0, 1, a, p),
                entry(topic, 0, 2, c, p)));
        assertThat(added).as("the second copy of a in the same batch is skipped").isEqualTo(3);
        added = log.append(List.of(entry(topic, 0, 2, c, p), entry(topic, 0, 3, d, p), entry(topic, 1, 1, e, p)));
        assertThat(added).as("c is stored already (a redelivery)").isEqualTo(2);

        assertThat(sequence(a)).isEqualTo(1);
        assertThat(sequence(c)).isEqualTo(2);
        assertThat(sequence(d)).isEqualTo(3);
        assertThat(sequence(b)).isEqualTo(1);
        assertThat(sequence(e)).isEqualTo(2);
        StoredRecord first = log.get(UUID.fromString(a)).orElseThrow();
        StoredRecord second = log.get(UUID.fromString(c)).orElseThrow();
        assertThat(first.record().getPreviousHash()).isEqualTo(ChainHash.GENESIS);
        assertThat(second.record().getPreviousHash()).isEqualTo(first.record().getRecordHash());

        for (int partition : new int[] {0, 1}) {
            ChainVerification v = verify(topic + "/" + partition);
            assertThat(v.getIntact()).as(v.getProblem()).isTrue();
            assertThat(v.getRecordsChecked()).isEqualTo(partition == 0 ? 3 : 2);
        }
        try (Connection conn = AuditDatabaseResource.appConnection();
                PreparedStatement ps = conn.prepareStatement("SELECT event_time, source_offset, principal_arn, access_key_id "
                        + "FROM audit_records WHERE event_id = ?::uuid")) {
            ps.setString(1, d);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(TIME);
                assertThat(rs.getLong(2)).isEqualTo(3);
                assertThat(rs.getString(3)).isEqualTo(p);
                assertThat(rs.getString(4)).isEqualTo("ASIA3");
            }
        }
    }

    @Test
    void anEventStoredInAnotherChainIsSkippedAndTheRestOfTheBatchStored() {
        // A batch is first copied without looking its event ids up (ADR 033); an id stored already
        // fails that copy on the unique index, and the batch is appended again with the lookup.
        String topic = "test-batch-" + UUID.randomUUID();
        String a = id(), b = id(), c = id();
        String p = "arn:aws:iam::000000000000:user/alice";
        assertThat(log.append(List.of(entry(topic, 0, 0, a, p)))).isEqualTo(1);

        // a is early in a batch long enough that the server refuses it while more is being sent
        List<AuditEntry> batch = new java.util.ArrayList<>(List.of(entry(topic, 1, 0, b, p), entry(topic, 1, 1, a, p),
                entry(topic, 1, 2, c, p)));
        for (int i = 3; i < 3_000; i++) {
            batch.add(entry(topic, 1, i, id(), p));
        }
        int added = log.append(batch);

        assertThat(added).as("a is stored already, in the chain of partition 0").isEqualTo(2_999);
        assertThat(sequence(a)).isEqualTo(1);
        assertThat(sequence(b)).isEqualTo(1);
        assertThat(sequence(c)).as("c links to b: the chain of partition 1 holds only what it stored").isEqualTo(2);
        assertThat(verify(topic + "/0").getRecordsChecked()).isEqualTo(1);
        ChainVerification v = verify(topic + "/1");
        assertThat(v.getIntact()).as(v.getProblem()).isTrue();
        assertThat(v.getRecordsChecked()).isEqualTo(2_999);
    }

    @Test
    void aBatchWithOneValueTheDatabaseRefusesStoresNothing() {
        String topic = "test-batch-" + UUID.randomUUID();
        String good = id();
        String tooLong = "arn:aws:iam::000000000000:user/" + "x".repeat(2048);
        assertThatThrownBy(() -> log.append(List.of(entry(topic, 0, 0, good, "arn:aws:iam::000000000000:user/a"),
                entry(topic, 0, 1, id(), tooLong)))).isInstanceOf(RecordRejectedException.class).hasMessageContaining("22001");
        assertThat(log.get(UUID.fromString(good))).isEmpty();
        assertThat(verify(topic + "/0").getRecordsChecked()).isZero();
    }

    ChainVerification verify(String chainId) {
        return verifyChain.verify(VerifyChainRequest.newBuilder().setChainId(chainId).build()).getChains(0);
    }

    long sequence(String eventId) {
        return log.get(UUID.fromString(eventId)).orElseThrow().record().getSequence();
    }
}
