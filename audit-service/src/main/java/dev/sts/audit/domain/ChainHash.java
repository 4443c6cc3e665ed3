package dev.sts.audit.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain: {@code hash(n) = SHA-256(hex(hash(n-1)) || record bytes(n))}, starting from 64
 * zeros. Changing, removing or reordering any stored record breaks every later link.
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

    /** The outcome of verifying one chain. */
    public record Verification(String chainId, boolean intact, long recordsChecked, long firstBrokenSequence,
            String headHash, long headSequence, String problem) {
    }

    /** Checks rows fed in (chain, sequence) order. */
    public static final class Verifier {
        private final List<Verification> results = new ArrayList<>();
        private String chain;
        private long expectedSequence;
        private String expectedPrevious;
        private long checked;
        private long broken;
        private String problem;
        private String head;
        private long headSequence;

        public void accept(String chainId, long sequence, String previousHash, String recordHash, byte[] record) {
            if (!chainId.equals(chain)) {
                finish();
                chain = chainId;
                expectedSequence = 1;
                expectedPrevious = GENESIS;
                checked = 0;
                broken = 0;
                problem = null;
            }
            checked++;
            if (broken == 0) {
                if (sequence != expectedSequence) {
                    fail(sequence, "sequence " + expectedSequence + " is missing");
                } else if (!previousHash.equals(expectedPrevious)) {
                    fail(sequence, "record " + sequence + " does not link to its predecessor");
                } else if (!next(previousHash, record).equals(recordHash)) {
                    fail(sequence, "record " + sequence + " does not match its hash");
                }
            }
            expectedSequence = sequence + 1;
            expectedPrevious = recordHash;
            head = recordHash;
            headSequence = sequence;
        }

        private void fail(long sequence, String why) {
            broken = sequence;
            problem = why;
        }

        private void finish() {
            if (chain != null) {
                results.add(new Verification(chain, broken == 0, checked, broken, head, headSequence, problem == null ? "" : problem));
            }
        }

        public List<Verification> results() {
            finish();
            chain = null;
            return List.copyOf(results);
        }
    }
}
