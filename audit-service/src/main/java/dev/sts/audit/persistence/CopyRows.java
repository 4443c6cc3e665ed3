package dev.sts.audit.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format, streamed to a {@link CopyIn} in chunks of
 * {@link #CHUNK} bytes (<a href="https://www.postgresql.org/docs/14/sql-copy.html#id-1.9.3.55.9.4">the
 * file format</a>: a signature, then per row a field count and each field as a length and its
 * bytes in the type's binary send format, -1 for NULL; a trailer of -1).
 *
 * <p>Why binary COPY rather than {@code INSERT ... SELECT FROM unnest(arrays)}: the server inserts
 * a chunk while this process encodes the next (the insert and the hash chain's computation
 * overlap), it inserts the heap rows a page at a time ({@code heap_multi_insert}), and neither side
 * encodes or parses arrays of text (ADR 030). The server still checks every value as for an INSERT:
 * {@code varchar(n)} and {@code char(n)} lengths, UTF-8 validity, NOT NULL and every constraint.
 */
final class CopyRows {
    /** Bytes sent at a time: large enough to amortise a write, small enough that the server starts early. */
    static final int CHUNK = 64 * 1024;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** Seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 (UTC). */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final CopyIn copy;
    private byte[] buf = new byte[CHUNK + 1024];
    private int len;

    CopyRows(CopyIn copy) {
        this.copy = copy;
        put(SIGNATURE, 0, SIGNATURE.length);
        int32(0); // flags: no OIDs
        int32(0); // header extension length
    }

    /** Starts a row of {@code fields} values; flushes a full chunk first. */
    void row(int fields) throws SQLException {
        if (len >= CHUNK) {
            flush();
        }
        int16(fields);
    }

    void uuid(UUID v) {
        int32(16);
        int64(v.getMostSignificantBits());
        int64(v.getLeastSignificantBits());
    }

    void int8(long v) {
        int32(8);
        int64(v);
    }

    /** A {@code timestamptz}: microseconds since 2000-01-01 UTC, rounded half up as PostgreSQL rounds text input. */
    void timestamptz(Instant t) {
        long micros = Math.floorDiv(t.getNano() + 500L, 1000L);
        int32(8);
        int64(Math.addExact(Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L), micros));
    }

    /** Text of any text type (varchar, char, text) in UTF-8, the connection's encoding; null is NULL. */
    void text(String v) {
        if (v == null) {
            int32(-1);
        } else {
            bytes(v.getBytes(StandardCharsets.UTF_8));
        }
    }

    void bytes(byte[] v) {
        int32(v.length);
        put(v, 0, v.length);
    }

    /** Writes the trailer and sends what is buffered; the caller then ends the COPY. */
    void finish() throws SQLException {
        int16(-1);
        flush();
    }

    private void flush() throws SQLException {
        if (len > 0) {
            copy.writeToCopy(buf, 0, len);
            len = 0;
        }
    }

    private void int16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
    }

    private void int64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
    }

    private void put(byte[] v, int off, int n) {
        ensure(n);
        System.arraycopy(v, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
