package dev.sts.audit.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * VerifyChain: recomputes every link of a chain and checks it against the chain's signed
 * checkpoints, in one pass over a consistent snapshot, reading records and checkpoints in
 * keyset-paged batches (memory does not grow with the log). It names the first problem of each
 * chain:
 * <ul>
 *   <li>altered: a record whose bytes do not hash to its stored hash; or, when the hashes were
 *       recomputed after the change, a head that differs from a signed checkpoint (the change lies
 *       after the previous checkpoint that matched);
 *   <li>deleted: a gap in the sequence, a record that does not link to its predecessor, or a chain
 *       that ends before a signed checkpoint (its tail was cut);
 *   <li>inserted: a second record at a sequence, or a record that its successor links past (the
 *       successor's previous hash is that of the record before it), including one appended at the
 *       head that links to nothing;
 *   <li>forged checkpoint: one whose signature does not verify with a trusted checkpoint key, or
 *       whose stored fields differ from what was signed.
 * </ul>
 * What a verifier cannot see is said in docs/adr/021: records changed and re-hashed after the
 * latest checkpoint, with every checkpoint after them removed from the database, verify; only a
 * copy of the checkpoints kept outside the database shows it.
 */
public final class ChainVerifier {
    /** Records per read: about 2-4 MB of record bytes, few round trips per million records. */
    public static final int DEFAULT_PAGE = 2000;

    private final ChainStore store;
    private final CheckpointVerifier checkpoints;
    private final int pageSize;

    public ChainVerifier(ChainStore store, CheckpointVerifier checkpoints, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        this.store = store;
        this.checkpoints = checkpoints;
        this.pageSize = pageSize;
    }

    /** Every chain of the log, in chain id order. */
    public List<ChainVerification> verifyAll() {
        return store.inSnapshot(s -> {
            List<ChainVerification> out = new ArrayList<>();
            for (String chainId : s.chainIds()) {
                out.add(verify(s, chainId, 1, Long.MAX_VALUE));
            }
            return out;
        });
    }

    /** One chain from {@code from} to {@code to} (inclusive); the record before {@code from} is taken as given. */
    public ChainVerification verify(String chainId, long from, long to) {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("range " + from + ".." + to);
        }
        return store.inSnapshot(s -> verify(s, chainId, from, to));
    }

    private ChainVerification verify(ChainStore.Snapshot s, String chainId, long from, long to) {
        Walk walk = new Walk(chainId, from, checkpoints);
        Checkpoints cps = new Checkpoints(s, chainId, from - 1, to, pageSize);
        long after = from - 1;
        while (true) {
            List<ChainRow> page = s.records(chainId, after, to, pageSize);
            for (ChainRow row : page) {
                while (cps.peek() != null && cps.peek().sequence() < row.sequence()) {
                    walk.checkpointWithoutRecord(cps.next());
                }
                walk.record(row);
                if (cps.peek() != null && cps.peek().sequence() == row.sequence()) {
                    walk.checkpoint(cps.next(), row);
                }
            }
            if (page.size() < pageSize) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        walk.endOfRecords();
        while (cps.peek() != null) {
            walk.checkpointWithoutRecord(cps.next());
        }
        return walk.result();
    }

    /** The checkpoints of a chain, read a page at a time. */
    private static final class Checkpoints {
        private final ChainStore.Snapshot snapshot;
        private final String chainId;
        private final long upTo;
        private final int pageSize;
        private List<Checkpoint> page = List.of();
        private int index;
        private long after;
        private boolean exhausted;

        Checkpoints(ChainStore.Snapshot snapshot, String chainId, long after, long upTo, int pageSize) {
            this.snapshot = snapshot;
            this.chainId = chainId;
            this.after = after;
            this.upTo = upTo;
            this.pageSize = pageSize;
        }

        Checkpoint peek() {
            if (index == page.size()) {
                if (exhausted) {
                    return null;
                }
                page = snapshot.checkpoints(chainId, after, upTo, pageSize);
                index = 0;
                exhausted = page.size() < pageSize;
                if (page.isEmpty()) {
                    return null;
                }
                after = page.get(page.size() - 1).sequence();
            }
            return page.get(index);
        }

        Checkpoint next() {
            Checkpoint c = peek();
            index++;
            return c;
        }
    }

    /** The state of one chain's verification, fed records and checkpoints in sequence order. */
    private static final class Walk {
        private final String chainId;
        private final CheckpointVerifier verifier;
        private final MessageDigest sha256;
        private final long from;
        private long expected;
        /** The hash the next record must link to; null before the first record of a range that starts after 1. */
        private String linkTo;
        /** The hash the last record should have linked to: a record linking to it links past the last one. */
        private String beforeLast;
        private String lastEventId = "";
        /** A record that does not link to its predecessor, until its successor says whether it was inserted. */
        private ChainRow unlinked;
        private String unlinkedLinkTo;
        private long checked;
        private String headHash = "";
        private long headSequence;
        private long checkpointsChecked;
        private long lastCheckpoint;
        private ChainProblem kind;
        private long brokenSequence;
        private String brokenEventId = "";
        private String problem = "";

        Walk(String chainId, long from, CheckpointVerifier verifier) {
            this.chainId = chainId;
            this.verifier = verifier;
            this.from = from;
            this.expected = from;
            this.linkTo = from == 1 ? ChainHash.GENESIS : null;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void record(ChainRow r) {
            checked++;
            if (kind == null) {
                inspect(r);
            }
            headHash = r.recordHash();
            headSequence = r.sequence();
        }

        private void inspect(ChainRow r) {
            if (unlinked != null) {
                if (r.sequence() == unlinked.sequence() + 1 && r.previousHash().equals(unlinkedLinkTo)) {
                    fail(ChainProblem.INSERTED, unlinked.sequence(), unlinked.eventId(), "record " + unlinked.sequence()
                            + " does not belong: it does not link to record " + (unlinked.sequence() - 1)
                            + ", and record " + r.sequence() + " links past it");
                } else {
                    failUnlinkedAsDeleted();
                }
                return;
            }
            if (r.sequence() < expected) {
                fail(ChainProblem.INSERTED, r.sequence(), r.eventId(), "a second record at sequence " + r.sequence());
                return;
            }
            if (r.sequence() > expected) {
                fail(ChainProblem.DELETED, expected, "", (r.sequence() - 1 == expected ? "record " + expected + " is missing"
                        : "records " + expected + " to " + (r.sequence() - 1) + " are missing") + " (sequence gap)");
                return;
            }
            if (!ChainHash.next(sha256, r.previousHash(), r.record()).equals(r.recordHash())) {
                fail(ChainProblem.ALTERED, r.sequence(), r.eventId(), "record " + r.sequence() + " does not match its hash");
                return;
            }
            if (linkTo != null && !r.previousHash().equals(linkTo)) {
                if (r.previousHash().equals(beforeLast)) {
                    fail(ChainProblem.INSERTED, r.sequence() - 1, lastEventId, "record " + (r.sequence() - 1)
                            + " does not belong: record " + r.sequence() + " links past it to record " + (r.sequence() - 2));
                    return;
                }
                unlinked = r;
                unlinkedLinkTo = linkTo;
            }
            beforeLast = linkTo != null ? linkTo : r.previousHash();
            linkTo = r.recordHash();
            lastEventId = r.eventId();
            expected = r.sequence() + 1;
        }

        private void failUnlinkedAsDeleted() {
            fail(ChainProblem.DELETED, unlinked.sequence(), unlinked.eventId(), "record " + unlinked.sequence()
                    + " does not link to record " + (unlinked.sequence() - 1) + ": a record before it was removed and the "
                    + "rest renumbered, or record " + (unlinked.sequence() - 1) + " was changed together with its hash");
        }

        /** A checkpoint of the record just read. */
        void checkpoint(Checkpoint c, ChainRow r) {
            if (!trusted(c) || kind != null || unlinked != null) {
                return;
            }
            if (!c.recordHash().equals(r.recordHash())) {
                fail(ChainProblem.ALTERED, lastCheckpoint == 0 ? from : lastCheckpoint + 1, "", "the chain was rewritten: its hashes "
                        + "were recomputed, but record " + c.sequence() + " differs from the checkpoint signed at "
                        + c.signedAt() + " by key " + c.kid() + "; the change lies after "
                        + (lastCheckpoint == 0 ? "the start of the range" : "the checkpoint of record " + lastCheckpoint)
                        + " and at or before record " + c.sequence());
                return;
            }
            lastCheckpoint = c.sequence();
        }

        /** A checkpoint of a record that is not stored (a gap, or beyond the head). */
        void checkpointWithoutRecord(Checkpoint c) {
            if (!trusted(c) || kind != null) {
                return;
            }
            fail(ChainProblem.DELETED, expected, "", "record " + c.sequence() + " is missing, but a checkpoint signed at "
                    + c.signedAt() + " by key " + c.kid() + " vouches for it: " + (headSequence == 0 ? "the chain has no record"
                            : "the chain stops at record " + headSequence) + (c.sequence() > headSequence
                                    ? " (its tail was cut)" : ""));
        }

        private boolean trusted(Checkpoint c) {
            var refusal = verifier.refusal(c);
            if (refusal.isPresent()) {
                if (kind == null) {
                    fail(ChainProblem.FORGED_CHECKPOINT, c.sequence(), "", "the checkpoint of record " + c.sequence()
                            + " (key " + c.kid() + ") cannot be trusted: " + refusal.get());
                }
                return false;
            }
            checkpointsChecked++;
            return true;
        }

        void endOfRecords() {
            if (kind == null && unlinked != null) {
                fail(ChainProblem.INSERTED, unlinked.sequence(), unlinked.eventId(), "record " + unlinked.sequence()
                        + ", the last, does not link to record " + (unlinked.sequence() - 1) + ": it was inserted (or "
                        + "records before it were removed and it was renumbered)");
            }
        }

        private void fail(ChainProblem k, long sequence, String eventId, String why) {
            kind = k;
            brokenSequence = sequence;
            brokenEventId = eventId == null ? "" : eventId;
            problem = why;
        }

        ChainVerification result() {
            return new ChainVerification(chainId, checked, headHash, headSequence, checkpointsChecked, lastCheckpoint, kind,
                    kind == null ? 0 : brokenSequence, brokenEventId, problem);
        }
    }
}
