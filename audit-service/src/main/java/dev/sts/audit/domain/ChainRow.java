package dev.sts.audit.domain;

/** One stored link of a chain as verification reads it: the chain fields and the hashed bytes. */
public record ChainRow(long sequence, String previousHash, String recordHash, byte[] record, String eventId) {
}
