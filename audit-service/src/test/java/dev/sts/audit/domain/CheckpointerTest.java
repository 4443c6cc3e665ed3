package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When chains are checkpointed, with a hand-written store, signer and publisher and an injected clock. */
class CheckpointerTest {
    static final String A = "sts.session-events.v1/0";
    static final String B = "sts.role-events.v1/2";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final InMemoryChains store = new InMemoryChains();
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final List<Checkpoint> published = new ArrayList<>();
    boolean brokerDown;
    final CheckpointSigner signer = (head, at) -> new Checkpoint(head.chainId(), head.sequence(), head.recordHash(), at, "kid-1",
            "jws-" + head.sequence());
    final CheckpointPublisher publisher = c -> {
        if (brokerDown) {
            throw new IllegalStateException("broker down");
        }
        published.add(c);
    };
    final Checkpointer checkpointer = new Checkpointer(store, signer, publisher, () -> now.get(), new Checkpointer.Settings(5, Duration.ofSeconds(10)));

    void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void aChainIsCheckpointedAfterEveryRecordsNewRecords() {
        store.append(A, 4);
        assertThat(checkpointer.tick()).isEmpty();
        store.append(A, 1);
        List<Checkpoint> taken = checkpointer.tick();
        assertThat(taken).singleElement().satisfies(c -> {
            assertThat(c.chainId()).isEqualTo(A);
            assertThat(c.sequence()).isEqualTo(5);
            assertThat(c.recordHash()).isEqualTo(store.at(A, 5).recordHash());
        });
        assertThat(published).containsExactlyElementsOf(taken);
        assertThat(store.latestCheckpoint(A)).contains(taken.get(0));
        store.append(A, 4);
        assertThat(checkpointer.tick()).isEmpty();
        store.append(A, 1);
        assertThat(checkpointer.tick()).extracting(Checkpoint::sequence).containsExactly(10L);
    }

    @Test
    void aChainThatMovedIsCheckpointedOnceItsLatestCheckpointIsEveryIntervalOld() {
        store.append(A, 1).append(B, 1);
        assertThat(checkpointer.tick()).isEmpty();
        advance(Duration.ofSeconds(9));
        assertThat(checkpointer.tick()).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(checkpointer.tick()).extracting(Checkpoint::chainId).containsExactly(B, A);
        // Nothing new: no checkpoint, however long it waits.
        advance(Duration.ofHours(1));
        assertThat(checkpointer.tick()).isEmpty();
        store.append(B, 1);
        assertThat(checkpointer.tick()).extracting(Checkpoint::chainId).containsExactly(B);
    }

    @Test
    void checkpointNowTakesEveryChainThatMovedAndNoOther() {
        store.append(A, 2).append(B, 1);
        assertThat(checkpointer.checkpointNow()).hasSize(2);
        store.append(A, 1);
        assertThat(checkpointer.checkpointNow()).extracting(Checkpoint::sequence).containsExactly(3L);
        assertThat(checkpointer.checkpointNow()).isEmpty();
    }

    @Test
    void aHeadAnotherReplicaCheckpointedIsNotSignedAgain() {
        store.append(A, 5);
        store.store(signer.sign(store.heads().get(0), T0));
        assertThat(checkpointer.tick()).isEmpty();
        assertThat(checkpointer.checkpointNow()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aCheckpointStoredWhileTheBrokerIsDownIsPublishedOnceItIsBack() {
        store.append(A, 5);
        brokerDown = true;
        assertThatThrownBy(checkpointer::tick).hasMessageContaining("broker down");
        assertThat(store.latestCheckpoint(A)).isPresent();
        assertThat(checkpointer.unpublished()).isEqualTo(1);
        brokerDown = false;
        assertThat(checkpointer.tick()).isEmpty();
        assertThat(published).extracting(Checkpoint::sequence).containsExactly(5L);
        assertThat(checkpointer.unpublished()).isZero();
    }
}
