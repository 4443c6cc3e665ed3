package dev.sts.token.persistence;

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
import java.util.function.Function;

/**
 * The {@code signing_keys} table. Plain JDBC: keys are read at start and on the key manager's
 * schedule only, never on the request path. Rows are data, not trust: the key manager checks each
 * against its seal.
 */
@ApplicationScoped
public class SigningKeyStore {
    /**
     * One row; {@code sealVersion} says which associated data the sealed private key was bound to.
     * {@code signFrom} is when the key starts signing: after its creation by the pre-publication lead.
     */
    public record Row(String kid, String algorithm, String publicJwk, byte[] sealedPrivateJwk, Instant createdAt,
            Instant signFrom, Instant signUntil, Instant publishUntil, int sealVersion) {
    }

    /**
     * The advisory lock that makes key creation single-flight across replicas: one 64-bit key for
     * this purpose in the tokens database ("STSKEYRT" in ASCII).
     */
    public static final long ROTATION_LOCK = 0x5354_534B_4559_5254L;

    private static final String COLUMNS = "kid, algorithm, public_jwk, private_jwk_sealed, created_at, sign_from, sign_until, "
            + "publish_until, seal_version";

    private final AgroalDataSource ds;

    public SigningKeyStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Keys still published at {@code now}, newest first. */
    public List<Row> published(Instant now) {
        try (Connection c = ds.getConnection()) {
            return published(c, now);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read signing keys: " + e.getMessage(), e);
        }
    }

    /**
     * Decides and writes new keys while holding {@link #ROTATION_LOCK}, so that replicas rotating at
     * the same moment create one key, not one each: the second replica waits for the first's commit,
     * then sees its row. {@code plan} gets the keys published at {@code now} and answers the rows to
     * insert (none when another replica already wrote them).
     *
     * @return the rows inserted
     */
    public List<Row> createKeys(Instant now, Function<List<Row>, List<Row>> plan) {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, ROTATION_LOCK);
                    lock.execute();
                }
                List<Row> created = plan.apply(published(c, now));
                for (Row row : created) {
                    insert(c, row);
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create signing keys: " + e.getMessage(), e);
        }
    }

    /** Rows whose signing ended before {@code before} and that still hold a sealed private key. */
    public List<Row> holdingPrivateKeys(Instant before, int retiredVersion) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM signing_keys "
                        + "WHERE sign_until <= ? AND seal_version <> ? ORDER BY sign_until")) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, retiredVersion);
            return rows(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read signing keys: " + e.getMessage(), e);
        }
    }

    public void insert(Row row) {
        try (Connection c = ds.getConnection()) {
            insert(c, row);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store signing key: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a row's seal with one of a newer version, only if the row still holds the seal
     * that was checked ({@code expected}): a concurrent change or another replica's upgrade wins.
     *
     * @return whether this call changed the row
     */
    public boolean reseal(String kid, byte[] expected, int fromVersion, byte[] sealed, int toVersion) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE signing_keys SET private_jwk_sealed = ?, seal_version = ? "
                        + "WHERE kid = ? AND seal_version = ? AND private_jwk_sealed = ?")) {
            ps.setBytes(1, sealed);
            ps.setInt(2, toVersion);
            ps.setString(3, kid);
            ps.setInt(4, fromVersion);
            ps.setBytes(5, expected);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot re-seal signing key " + kid + ": " + e.getMessage(), e);
        }
    }

    private static List<Row> published(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM signing_keys WHERE publish_until > ? ORDER BY created_at DESC, kid")) {
            ps.setTimestamp(1, Timestamp.from(now));
            return rows(ps);
        }
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                        rs.getTimestamp(8).toInstant(), rs.getInt(9)));
            }
        }
        return rows;
    }

    private static void insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.algorithm());
            ps.setString(3, row.publicJwk());
            ps.setBytes(4, row.sealedPrivateJwk());
            ps.setTimestamp(5, Timestamp.from(row.createdAt()));
            ps.setTimestamp(6, Timestamp.from(row.signFrom()));
            ps.setTimestamp(7, Timestamp.from(row.signUntil()));
            ps.setTimestamp(8, Timestamp.from(row.publishUntil()));
            ps.setInt(9, row.sealVersion());
            ps.executeUpdate();
        }
    }
}
