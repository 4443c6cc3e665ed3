package dev.sts.audit.domain;

/**
 * The outcome of verifying one chain: how far it was read, where its head is, how many signed
 * checkpoints matched it, and the first problem, if any ({@code problemKind} null when intact).
 */
public record ChainVerification(String chainId, long recordsChecked, String headHash, long headSequence,
        long checkpointsChecked, long lastCheckpointSequence, ChainProblem problemKind, long firstBrokenSequence,
        String firstBrokenEventId, String problem) {

    public boolean intact() {
        return problemKind == null;
    }
}
