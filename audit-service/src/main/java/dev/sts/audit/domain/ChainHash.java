package dev.sts.audit.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain: {@code hash(n) = SHA-256(hex(hash(n-1)) || record bytes(n))}, starting from 64
 * zeros. Changing, removing or reordering any stored record breaks every later link;
 * {@link ChainVerifier} checks the links and the signed checkpoints.
 */
public final class ChainHash {
    public static final String GENESIS = "0".repeat(64);

    private ChainHash() {
    }

    public static String next(String previousHex, byte[] record) {
        try {
            return next(MessageDigest.getInstance("SHA-256"), previousHex, record);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #next(String, byte[])} with a SHA-256 digest the caller reuses (verification hashes millions). */
    public static String next(MessageDigest sha256, String previousHex, byte[] record) {
        sha256.reset();
        sha256.update(previousHex.getBytes(StandardCharsets.US_ASCII));
        sha256.update(record);
        return HexFormat.of().formatHex(sha256.digest());
    }
}
