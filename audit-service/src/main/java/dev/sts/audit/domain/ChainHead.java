package dev.sts.audit.domain;

/** The last stored record of a hash chain: what a checkpoint vouches for. */
public record ChainHead(String chainId, long sequence, String recordHash) {
}
