package dev.sts.audit.persistence;

import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.AuditStoreUnavailableException;
import dev.sts.audit.domain.RecordRejectedException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sorts JDBC failures into "this record can never be stored" and "the store is unavailable".
 *
 * <p>Only SQLState class 22 (data exception: value too long, invalid byte sequence, U+0000 in
 * text), class 23 (integrity constraint: not-null, check) except {@code 23505}, and {@code 54000}
 * (an index row too large) are data errors. A unique violation comes from a concurrent writer of
 * the same chain during a rebalance, and the retry sees the stored row and skips it. Everything
 * else, including failures without an SQLState, counts as unavailability: it is retried and never
 * dead-lettered, which fails closed (the trail stalls visibly) rather than dropping a record that a
 * healthy database would have taken.
 */
final class SqlErrors {
    /** A unique index refused a row: a redelivered event id, or a concurrent writer of the chain. */
    static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_REASON = 300;

    private SqlErrors() {
    }

    static AuditStoreException translate(SQLException e) {
        String state = e.getSQLState();
        String reason = "SQLState " + (state == null ? "none" : state) + ": " + primaryMessage(e);
        return isDataError(state) ? new RecordRejectedException(reason, e) : new AuditStoreUnavailableException(reason, e);
    }

    static boolean isDataError(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        return state.startsWith("22") || (state.startsWith("23") && !state.equals(UNIQUE_VIOLATION)) || state.equals("54000");
    }

    /**
     * PostgreSQL's primary message only: its detail may quote the row ("Failing row contains ..."),
     * and the reason goes into logs and dead-letter headers.
     */
    private static String primaryMessage(SQLException e) {
        String m = null;
        if (e instanceof PSQLException p) {
            ServerErrorMessage server = p.getServerErrorMessage();
            m = server != null ? server.getMessage() : p.getMessage();
        }
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) : m;
    }
}
