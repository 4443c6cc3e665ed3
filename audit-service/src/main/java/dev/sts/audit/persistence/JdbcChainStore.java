package dev.sts.audit.persistence;

import dev.sts.audit.domain.ChainHead;
import dev.sts.audit.domain.ChainRow;
import dev.sts.audit.domain.ChainStore;
import dev.sts.audit.domain.Checkpoint;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.postgresql.PGStatement;

/**
 * Chain heads, checkpoints and the paged reads of verification, in PostgreSQL. Reads only (and
 * INSERT of checkpoints): the runtime role holds nothing more on either table (V3, V5). Every
 * query is an index range scan on {@code (chain_id, sequence)}, so the cost of a checkpoint round
 * does not grow with the log.
 */
@ApplicationScoped
public class JdbcChainStore implements ChainStore {
    /**
     * The distinct chain ids of a table in one index probe per chain (a "loose index scan"):
     * PostgreSQL has no skip scan, and {@code SELECT DISTINCT} would read the whole index.
     */
    private static final String CHAIN_IDS = "WITH RECURSIVE c(chain_id) AS ("
            + "(SELECT chain_id FROM %1$s ORDER BY chain_id LIMIT 1) UNION ALL "
            + "SELECT (SELECT t.chain_id FROM %1$s t WHERE t.chain_id > c.chain_id ORDER BY t.chain_id LIMIT 1) "
            + "FROM c WHERE c.chain_id IS NOT NULL) SELECT chain_id FROM c WHERE chain_id IS NOT NULL";
    private static final String HEADS = "WITH RECURSIVE c(chain_id) AS ("
            + "(SELECT chain_id FROM audit_records ORDER BY chain_id LIMIT 1) UNION ALL "
            + "SELECT (SELECT t.chain_id FROM audit_records t WHERE t.chain_id > c.chain_id ORDER BY t.chain_id LIMIT 1) "
            + "FROM c WHERE c.chain_id IS NOT NULL) "
            + "SELECT c.chain_id, h.sequence, h.record_hash FROM c CROSS JOIN LATERAL ("
            + "SELECT r.sequence, r.record_hash FROM audit_records r WHERE r.chain_id = c.chain_id "
            + "ORDER BY r.sequence DESC LIMIT 1) h WHERE c.chain_id IS NOT NULL ORDER BY c.chain_id";
    private static final String CHECKPOINT_COLUMNS = "chain_id, sequence, record_hash, signed_at, kid, jws";

    private final AgroalDataSource ds;

    public JdbcChainStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    @Override
    public List<ChainHead> heads() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(HEADS); ResultSet rs = ps.executeQuery()) {
            List<ChainHead> heads = new ArrayList<>();
            while (rs.next()) {
                heads.add(new ChainHead(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
            return heads;
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint(String chainId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                + " FROM audit_checkpoints WHERE chain_id = ? ORDER BY sequence DESC LIMIT 1")) {
            ps.setString(1, chainId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public boolean store(Checkpoint cp) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoints ("
                + CHECKPOINT_COLUMNS + ") VALUES (?,?,?,?,?,?) ON CONFLICT (chain_id, sequence) DO NOTHING")) {
            ps.setString(1, cp.chainId());
            ps.setLong(2, cp.sequence());
            ps.setString(3, cp.recordHash());
            ps.setTimestamp(4, Timestamp.from(cp.signedAt()));
            ps.setString(5, cp.kid());
            ps.setString(6, cp.jws());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public <T> T inSnapshot(SnapshotReading<T> reading) {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (JdbcSnapshot snapshot = new JdbcSnapshot(c)) {
                return reading.read(snapshot);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        } catch (UncheckedSql e) {
            throw SqlErrors.translate(e.getCause());
        }
    }

    /** The paged reads of one REPEATABLE READ transaction; each statement is prepared once and reused per page. */
    private static final class JdbcSnapshot implements Snapshot, AutoCloseable {
        private final Connection c;
        private final PreparedStatement records;
        private final PreparedStatement checkpoints;

        JdbcSnapshot(Connection c) throws SQLException {
            this.c = c;
            this.records = c.prepareStatement("SELECT sequence, previous_hash, record_hash, record, event_id FROM audit_records "
                    + "WHERE chain_id = ? AND sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?");
            // Binary transfer from the first page on: bytea arrives as bytes, not as hex text to decode.
            records.unwrap(PGStatement.class).setPrepareThreshold(-1);
            this.checkpoints = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_checkpoints "
                    + "WHERE chain_id = ? AND sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?");
        }

        @Override
        public List<String> chainIds() {
            TreeSet<String> ids = new TreeSet<>();
            for (String table : List.of("audit_records", "audit_checkpoints")) {
                try (PreparedStatement ps = c.prepareStatement(String.format(CHAIN_IDS, table)); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }
            return List.copyOf(ids);
        }

        @Override
        public List<ChainRow> records(String chainId, long after, long upTo, int limit) {
            try {
                bind(records, chainId, after, upTo, limit);
                List<ChainRow> rows = new ArrayList<>(limit);
                try (ResultSet rs = records.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ChainRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5)));
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }

        @Override
        public List<Checkpoint> checkpoints(String chainId, long after, long upTo, int limit) {
            try {
                bind(checkpoints, chainId, after, upTo, limit);
                List<Checkpoint> rows = new ArrayList<>();
                try (ResultSet rs = checkpoints.executeQuery()) {
                    while (rs.next()) {
                        rows.add(checkpoint(rs));
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }

        private static void bind(PreparedStatement ps, String chainId, long after, long upTo, int limit) throws SQLException {
            ps.setString(1, chainId);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            ps.setInt(4, limit);
        }

        @Override
        public void close() throws SQLException {
            records.close();
            checkpoints.close();
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                rs.getString(6));
    }

    /** An SQLException through the domain's callback, translated when it leaves {@link #inSnapshot}. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
