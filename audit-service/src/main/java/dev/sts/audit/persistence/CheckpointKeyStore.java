package dev.sts.audit.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code audit_checkpoint_keys} table (V5). Rows are data, not trust: the signing package
 * trusts a row only when its sealed private key opens with the row's facts as associated data.
 */
@ApplicationScoped
public class CheckpointKeyStore {
    /** One row, as stored. */
    public record Row(String kid, String algorithm, String publicJwk, byte[] sealedPrivateJwk, Instant createdAt) {
    }

    /**
     * The advisory lock that makes key creation single-flight across replicas starting together
     * ("STSAUDCK" in ASCII); it needs no privilege on any table.
     */
    static final long CREATION_LOCK = 0x5354_5341_5544_434BL;
    private static final String COLUMNS = "kid, algorithm, public_jwk, private_jwk_sealed, created_at";

    private final AgroalDataSource ds;

    public CheckpointKeyStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Every key, oldest first. */
    public List<Row> all() {
        try (Connection c = ds.getConnection()) {
            return all(c);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * Under {@link #CREATION_LOCK}: {@code plan} sees every key and answers the row to add, if any;
     * a replica that waited for the lock sees the row the first one committed.
     *
     * @return every key after the call, oldest first
     */
    public List<Row> createIfNeeded(Function<List<Row>, Optional<Row>> plan) {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, CREATION_LOCK);
                    lock.execute();
                }
                Optional<Row> created = plan.apply(all(c));
                if (created.isPresent()) {
                    insert(c, created.get());
                }
                List<Row> rows = all(c);
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static List<Row> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_checkpoint_keys ORDER BY created_at, kid");
                ResultSet rs = ps.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getTimestamp(5).toInstant()));
            }
            return rows;
        }
    }

    private static void insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint_keys (" + COLUMNS + ") VALUES (?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.algorithm());
            ps.setString(3, row.publicJwk());
            ps.setBytes(4, row.sealedPrivateJwk());
            ps.setTimestamp(5, Timestamp.from(row.createdAt()));
            ps.executeUpdate();
        }
    }
}
