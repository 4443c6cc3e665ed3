package dev.sts.audit.domain;

/** What verification found wrong with a chain (the kinds of {@code sts.v1.ChainProblem}). */
public enum ChainProblem {
    /** A record's bytes do not hash to its stored hash, or the chain was rewritten before a checkpoint. */
    ALTERED,
    /** A gap in the sequence, a record that does not link to its predecessor, or a tail cut after a checkpoint. */
    DELETED,
    /** A second record at a sequence, or a record its successor links past. */
    INSERTED,
    /** A checkpoint whose signature does not verify with a trusted key, or whose columns differ from what was signed. */
    FORGED_CHECKPOINT
}
