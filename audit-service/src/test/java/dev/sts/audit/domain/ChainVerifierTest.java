package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How VerifyChain names the first problem of a chain, over a hand-written store read in pages of
 * three (so every case also crosses page boundaries). Checkpoint signatures are stood in for by a
 * verifier that trusts the jws "signed" and nothing else.
 */
class ChainVerifierTest {
    static final String A = "sts.session-events.v1/0";
    static final String B = "sts.role-events.v1/1";
    static final CheckpointVerifier SIGNED = c -> c.jws().equals("signed") ? Optional.empty() : Optional.of("bad signature");

    final InMemoryChains store = new InMemoryChains().append(A, 10).append(B, 4);
    final ChainVerifier verifier = new ChainVerifier(store, SIGNED, 3);

    static Checkpoint checkpoint(ChainRow r, String jws) {
        return new Checkpoint(A, r.sequence(), r.recordHash(), Instant.parse("2026-01-01T00:00:00Z"), "kid-1", jws);
    }

    ChainVerification a() {
        return verifier.verify(A, 1, Long.MAX_VALUE);
    }

    @Test
    void intactChainsVerifyInPagesWithTheirCheckpoints() {
        store.addCheckpoint(checkpoint(store.at(A, 4), "signed"));
        store.addCheckpoint(checkpoint(store.at(A, 10), "signed"));
        List<ChainVerification> all = verifier.verifyAll();
        assertThat(all).extracting(ChainVerification::chainId).containsExactly(B, A);
        ChainVerification a = all.get(1);
        assertThat(a.intact()).isTrue();
        assertThat(a.recordsChecked()).isEqualTo(10);
        assertThat(a.headSequence()).isEqualTo(10);
        assertThat(a.headHash()).isEqualTo(store.at(A, 10).recordHash());
        assertThat(a.checkpointsChecked()).isEqualTo(2);
        assertThat(a.lastCheckpointSequence()).isEqualTo(10);
        assertThat(store.largestPage).isEqualTo(3);
    }

    @Test
    void aRecordWhoseBytesChangedIsAltered() {
        ChainRow five = store.at(A, 5);
        store.chain(A).set(4, new ChainRow(5, five.previousHash(), five.recordHash(), "forged".getBytes(), five.eventId()));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.ALTERED);
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.firstBrokenEventId()).isEqualTo(five.eventId());
        assertThat(v.problem()).contains("does not match its hash");
        assertThat(v.recordsChecked()).isEqualTo(10);
        assertThat(v.headSequence()).isEqualTo(10);
    }

    @Test
    void aMissingSequenceIsDeleted() {
        store.chain(A).remove(4);
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.DELETED);
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.problem()).contains("record 5 is missing");
    }

    @Test
    void aRecordRemovedAndTheRestRenumberedIsDeleted() {
        List<ChainRow> chain = store.chain(A);
        chain.remove(4);
        for (int i = 4; i < chain.size(); i++) {
            ChainRow r = chain.get(i);
            chain.set(i, new ChainRow(r.sequence() - 1, r.previousHash(), r.recordHash(), r.record(), r.eventId()));
        }
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.DELETED);
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.problem()).contains("does not link to record 4");
    }

    @Test
    void aWellHashedRecordInsertedInTheMiddleIsInserted() {
        List<ChainRow> chain = store.chain(A);
        for (int i = 4; i < chain.size(); i++) {
            ChainRow r = chain.get(i);
            chain.set(i, new ChainRow(r.sequence() + 1, r.previousHash(), r.recordHash(), r.record(), r.eventId()));
        }
        ChainRow fake = InMemoryChains.row(5, store.at(A, 4).recordHash(), "fake");
        store.put(A, fake);
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.INSERTED);
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.firstBrokenEventId()).isEqualTo(fake.eventId());
        assertThat(v.problem()).contains("record 6 links past it");
    }

    @Test
    void aRecordThatLinksNowhereWithASuccessorLinkingPastItIsInserted() {
        List<ChainRow> chain = store.chain(A);
        for (int i = 4; i < chain.size(); i++) {
            ChainRow r = chain.get(i);
            chain.set(i, new ChainRow(r.sequence() + 1, r.previousHash(), r.recordHash(), r.record(), r.eventId()));
        }
        store.put(A, InMemoryChains.row(5, "f".repeat(64), "fake"));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.INSERTED);
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
    }

    @Test
    void aRecordAppendedAtTheHeadThatLinksNowhereIsInserted() {
        store.put(A, InMemoryChains.row(11, "f".repeat(64), "fake"));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.INSERTED);
        assertThat(v.firstBrokenSequence()).isEqualTo(11);
        assertThat(v.problem()).contains("the last");
    }

    @Test
    void aSecondRecordAtASequenceIsInserted() {
        store.put(A, InMemoryChains.row(7, store.at(A, 6).recordHash(), "duplicate"));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.INSERTED);
        assertThat(v.firstBrokenSequence()).isEqualTo(7);
    }

    @Test
    void aTailCutAfterACheckpointIsDeletedAndWithoutTheCheckpointItIsNot() {
        store.addCheckpoint(checkpoint(store.at(A, 9), "signed"));
        store.chain(A).subList(7, 10).clear(); // records 8, 9, 10 gone
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.DELETED);
        assertThat(v.firstBrokenSequence()).isEqualTo(8);
        assertThat(v.problem()).contains("record 9 is missing").contains("tail was cut");

        store.checkpoints.clear();
        assertThat(a().intact()).as("a cut tail is invisible to hashes alone").isTrue();
    }

    @Test
    void aChainRewrittenWithRecomputedHashesDiffersFromItsCheckpoint() {
        store.addCheckpoint(checkpoint(store.at(A, 3), "signed"));
        store.addCheckpoint(checkpoint(store.at(A, 8), "signed"));
        List<ChainRow> chain = store.chain(A);
        chain.subList(5, 10).clear();
        String prev = chain.get(4).recordHash();
        for (long seq = 6; seq <= 10; seq++) {
            ChainRow r = InMemoryChains.row(seq, prev, "rewritten " + seq);
            chain.add(r);
            prev = r.recordHash();
        }
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.ALTERED);
        assertThat(v.firstBrokenSequence()).isEqualTo(4);
        assertThat(v.lastCheckpointSequence()).isEqualTo(3);
        assertThat(v.problem()).contains("rewritten").contains("record 8");
    }

    @Test
    void aCheckpointThatDoesNotVerifyIsForged() {
        store.addCheckpoint(checkpoint(store.at(A, 6), "forged"));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.FORGED_CHECKPOINT);
        assertThat(v.firstBrokenSequence()).isEqualTo(6);
        assertThat(v.problem()).contains("bad signature");
    }

    @Test
    void aForgedCheckpointBeyondTheHeadCannotClaimATruncation() {
        store.addCheckpoint(checkpoint(InMemoryChains.row(20, "0".repeat(64), "x"), "forged"));
        ChainVerification v = a();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.FORGED_CHECKPOINT);
        assertThat(v.firstBrokenSequence()).isEqualTo(20);
    }

    @Test
    void aChainWhoseRecordsAreAllGoneIsReportedThroughItsCheckpoint() {
        store.addCheckpoint(checkpoint(store.at(A, 10), "signed"));
        store.rows.remove(A);
        ChainVerification v = verifier.verifyAll().stream().filter(x -> x.chainId().equals(A)).findFirst().orElseThrow();
        assertThat(v.problemKind()).isEqualTo(ChainProblem.DELETED);
        assertThat(v.firstBrokenSequence()).isEqualTo(1);
        assertThat(v.problem()).contains("the chain has no record");
    }

    @Test
    void aRangeTakesTheRecordBeforeItAsGivenAndChecksOnlyItsOwnCheckpoints() {
        store.addCheckpoint(checkpoint(store.at(A, 7), "signed"));
        ChainRow two = store.at(A, 2);
        store.chain(A).set(1, new ChainRow(2, two.previousHash(), two.recordHash(), "forged".getBytes(), two.eventId()));
        ChainVerification range = verifier.verify(A, 4, 8);
        assertThat(range.intact()).isTrue();
        assertThat(range.recordsChecked()).isEqualTo(5);
        assertThat(range.headSequence()).isEqualTo(8);
        assertThat(range.checkpointsChecked()).isEqualTo(1);
        assertThat(verifier.verify(A, 1, 8).firstBrokenSequence()).isEqualTo(2);
    }
}
