package dev.sts.token.persistence;

import dev.sts.kit.error.StsException;
import dev.sts.token.domain.Revocation;
import dev.sts.token.domain.RevocationStore;
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
import java.util.UUID;

/** The {@code revocations} table (V3). Plain JDBC, called off the event loop. */
@ApplicationScoped
public class JdbcRevocationStore implements RevocationStore {
    private final AgroalDataSource ds;

    public JdbcRevocationStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    @Override
    public void insert(Revocation r, String actorArn, byte[] event) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO revocations (revocation_id, selector, selector_value, "
                        + "cut_off, revoked_at, expires_at, reason, actor_arn, event) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setObject(1, UUID.fromString(r.id()));
            ps.setString(2, r.kind().name());
            ps.setString(3, r.value());
            ps.setTimestamp(4, Timestamp.from(r.cutOff()));
            ps.setTimestamp(5, Timestamp.from(r.revokedAt()));
            ps.setTimestamp(6, Timestamp.from(r.expiresAt()));
            ps.setString(7, r.reason());
            ps.setString(8, actorArn);
            ps.setBytes(9, event);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void markPublished(String id, Instant at) {
        update("UPDATE revocations SET published_at = ? WHERE revocation_id = ? AND published_at IS NULL", id, at);
    }

    @Override
    public void markTombstoned(String id, Instant at) {
        update("UPDATE revocations SET tombstoned_at = ? WHERE revocation_id = ? AND tombstoned_at IS NULL", id, at);
    }

    @Override
    public List<Pending> unpublished(Instant now, Instant storedBefore, int limit) {
        return pending("SELECT revocation_id, event FROM revocations WHERE published_at IS NULL AND expires_at > ? "
                + "AND created_at < ? ORDER BY created_at LIMIT ?", limit, now, storedBefore);
    }

    @Override
    public List<Pending> expired(Instant now, int limit) {
        return pending("SELECT revocation_id, event FROM revocations WHERE tombstoned_at IS NULL AND expires_at <= ? "
                + "ORDER BY expires_at LIMIT ?", limit, now);
    }

    private List<Pending> pending(String sql, int limit, Instant... times) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                ps.setTimestamp(i + 1, Timestamp.from(times[i]));
            }
            ps.setInt(times.length + 1, limit);
            List<Pending> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Pending(rs.getObject(1, UUID.class).toString(), rs.getBytes(2)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void update(String sql, String id, Instant at) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, UUID.fromString(id));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static StsException unavailable(SQLException e) {
        return StsException.unavailable("the revocation store is unavailable, try again later", e);
    }
}
