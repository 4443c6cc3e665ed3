package dev.sts.audit.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes signed checkpoints of the chain heads: a chain is checkpointed once its head has moved
 * {@link Settings#everyRecords()} records past its latest checkpoint, or has moved at all and that
 * checkpoint is {@link Settings#everyInterval()} old. It reads heads from the store (it never
 * touches the insert path), so any replica may run it: a head two replicas sign at once is stored
 * once, and published by the replica that stored it.
 *
 * <p>A checkpoint is stored before it is published; one whose publication fails is retried on the
 * next round (only the latest per chain: a newer checkpoint vouches for everything an older one
 * did).
 */
public final class Checkpointer {
    /** When a chain is due: after this many new records, or when its latest checkpoint is this old. */
    public record Settings(long everyRecords, Duration everyInterval) {
        public Settings {
            if (everyRecords < 1 || everyInterval.isNegative() || everyInterval.isZero()) {
                throw new IllegalArgumentException("checkpoints need every-records >= 1 and a positive every-interval");
            }
        }
    }

    private record Last(long sequence, Instant at) {
    }

    private final ChainStore store;
    private final CheckpointSigner signer;
    private final CheckpointPublisher publisher;
    private final InstantSource clock;
    private final Settings settings;
    private final Map<String, Last> last = new HashMap<>();
    private final Map<String, Checkpoint> unpublished = new LinkedHashMap<>();

    public Checkpointer(ChainStore store, CheckpointSigner signer, CheckpointPublisher publisher, InstantSource clock,
            Settings settings) {
        this.store = store;
        this.signer = signer;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
    }

    /** One scheduled round: checkpoints the chains that are due. */
    public synchronized List<Checkpoint> tick() {
        return run(false);
    }

    /** Checkpoints every chain whose head moved since its latest checkpoint, due or not. */
    public synchronized List<Checkpoint> checkpointNow() {
        return run(true);
    }

    /** Checkpoints stored by this replica whose publication has not been acknowledged yet. */
    public synchronized int unpublished() {
        return unpublished.size();
    }

    private List<Checkpoint> run(boolean force) {
        Instant now = clock.instant();
        List<Checkpoint> stored = new ArrayList<>();
        for (ChainHead head : store.heads()) {
            Last known = last.get(head.chainId());
            if (known == null || (head.sequence() > known.sequence() && (force || due(known, head, now)))) {
                // Another replica may have checkpointed this chain meanwhile: ask the store before signing.
                known = latest(head.chainId(), known, now);
                last.put(head.chainId(), known);
            }
            if (head.sequence() <= known.sequence() || !(force || due(known, head, now))) {
                continue;
            }
            Checkpoint checkpoint = signer.sign(head, now);
            if (store.store(checkpoint)) {
                stored.add(checkpoint);
                unpublished.put(checkpoint.chainId(), checkpoint);
            }
            last.put(head.chainId(), new Last(checkpoint.sequence(), checkpoint.signedAt()));
        }
        publishPending();
        return stored;
    }

    private Last latest(String chainId, Last known, Instant now) {
        Optional<Checkpoint> latest = store.latestCheckpoint(chainId);
        if (latest.isPresent()) {
            return new Last(latest.get().sequence(), latest.get().signedAt());
        }
        // No checkpoint yet: the interval runs from when this replica first saw the chain.
        return known != null ? known : new Last(0, now);
    }

    boolean due(Last known, ChainHead head, Instant now) {
        return head.sequence() - known.sequence() >= settings.everyRecords()
                || !now.isBefore(known.at().plus(settings.everyInterval()));
    }

    /** Publishes what is pending, oldest chain first; stops at the first failure, which propagates. */
    private void publishPending() {
        for (Iterator<Checkpoint> it = unpublished.values().iterator(); it.hasNext();) {
            publisher.publish(it.next());
            it.remove();
        }
    }
}
