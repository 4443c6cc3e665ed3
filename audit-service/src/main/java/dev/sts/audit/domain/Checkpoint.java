package dev.sts.audit.domain;

import java.time.Instant;

/**
 * A signed statement that chain {@code chainId} had, at {@code signedAt}, the record of
 * {@code sequence} with {@code recordHash} as its head. {@code jws} is what was signed (by the key
 * {@code kid}); the other fields repeat its payload as stored, and verification checks that they
 * agree with it.
 */
public record Checkpoint(String chainId, long sequence, String recordHash, Instant signedAt, String kid, String jws) {
    public ChainHead head() {
        return new ChainHead(chainId, sequence, recordHash);
    }
}
