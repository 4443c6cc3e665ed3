package dev.sts.audit.domain;

import java.util.List;
import java.util.Optional;

/**
 * What checkpointing and verification read from the log and its checkpoints, and where
 * checkpoints are stored. Persistence implements it; its failures surface as
 * {@link AuditStoreUnavailableException}.
 */
public interface ChainStore {
    /** The head of every chain (one short index lookup per chain, whatever the size of the log). */
    List<ChainHead> heads();

    /** The checkpoint of the highest sequence of a chain, if it has one. */
    Optional<Checkpoint> latestCheckpoint(String chainId);

    /**
     * Stores a checkpoint unless one of the same chain and sequence exists (another replica took
     * it first).
     *
     * @return whether this call stored it
     */
    boolean store(Checkpoint checkpoint);

    /**
     * Runs {@code reading} over one consistent snapshot of the log and its checkpoints, so that
     * records and checkpoints appended meanwhile do not look like a truncated chain.
     */
    <T> T inSnapshot(SnapshotReading<T> reading);

    /** A read of one snapshot. */
    interface SnapshotReading<T> {
        T read(Snapshot snapshot);
    }

    /** Keyset-paged reads: each call returns at most {@code limit} rows after a position, in order. */
    interface Snapshot {
        /** Every chain id that has records or checkpoints, in order. */
        List<String> chainIds();

        /** Records of a chain with {@code after < sequence <= upTo}, by sequence. */
        List<ChainRow> records(String chainId, long after, long upTo, int limit);

        /** Checkpoints of a chain with {@code after < sequence <= upTo}, by sequence. */
        List<Checkpoint> checkpoints(String chainId, long after, long upTo, int limit);
    }
}
