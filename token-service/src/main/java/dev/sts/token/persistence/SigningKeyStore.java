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
 * the request path.
 */
@ApplicationScoped
public class SigningKeyStore {
    public record Row(String kid, String algorithm, String publicJwk, byte[] sealedPrivateJwk, Instant createdAt,
            Instant signUntil, Instant publishUntil) {
    }

    private final AgroalDataSource ds;

    public SigningKeyStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Keys still published at {@code now}, newest first. */
    public List<Row> published(Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT kid, algorithm, public_jwk, private_jwk_sealed, created_at, sign_until, publish_until "
                                + "FROM signing_keys WHERE publish_until > ? ORDER BY created_at DESC")) {
            ps.setTimestamp(1, Timestamp.from(now));
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read signing keys: " + e.getMessage(), e);
        }
    }

    public void insert(Row row) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys "
                        + "(kid, algorithm, public_jwk, private_jwk_sealed, created_at, sign_until, publish_until) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.algorithm());
            ps.setString(3, row.publicJwk());
            ps.setBytes(4, row.sealedPrivateJwk());
            ps.setTimestamp(5, Timestamp.from(row.createdAt()));
            ps.setTimestamp(6, Timestamp.from(row.signUntil()));
            ps.setTimestamp(7, Timestamp.from(row.publishUntil()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store signing key: " + e.getMessage(), e);
        }
    }
}
