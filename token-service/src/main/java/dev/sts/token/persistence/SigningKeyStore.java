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

/**
 * The {@code signing_keys} table. Plain JDBC: keys are read at start and on rotation only, never on
 * the request path. Rows are data, not trust: the key manager checks each against its seal.
 */
@ApplicationScoped
public class SigningKeyStore {
    /** One row; {@code sealVersion} says which associated data the sealed private key was bound to. */
    public record Row(String kid, String algorithm, String publicJwk, byte[] sealedPrivateJwk, Instant createdAt,
            Instant signUntil, Instant publishUntil, int sealVersion) {
    }

    private final AgroalDataSource ds;

    public SigningKeyStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Keys still published at {@code now}, newest first. */
    public List<Row> published(Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT kid, algorithm, public_jwk, private_jwk_sealed, created_at, sign_until, publish_until, seal_version "
                                + "FROM signing_keys WHERE publish_until > ? ORDER BY created_at DESC")) {
            ps.setTimestamp(1, Timestamp.from(now));
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                            rs.getInt(8)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read signing keys: " + e.getMessage(), e);
        }
    }

    public void insert(Row row) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (kid, algorithm, public_jwk, "
                        + "private_jwk_sealed, created_at, sign_until, publish_until, seal_version) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.algorithm());
            ps.setString(3, row.publicJwk());
            ps.setBytes(4, row.sealedPrivateJwk());
            ps.setTimestamp(5, Timestamp.from(row.createdAt()));
            ps.setTimestamp(6, Timestamp.from(row.signUntil()));
            ps.setTimestamp(7, Timestamp.from(row.publishUntil()));
            ps.setInt(8, row.sealVersion());
            ps.executeUpdate();
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
}
