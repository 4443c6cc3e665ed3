package dev.sts.audit.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditRecords;
import dev.sts.audit.domain.ChainHash;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.proto.v1.AuditRecord;
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
import java.util.UUID;

/**
 * The audit log in PostgreSQL. Appends extend each partition's hash chain inside one transaction;
 * an event id seen before is skipped, so redelivery after a crash stores nothing twice. Every
 * {@link SQLException} leaves this class translated by {@link SqlErrors}: callers see only the
 * domain's exceptions.
 */
@ApplicationScoped
public class JdbcAuditLog implements AuditLog {
    private final AgroalDataSource ds;

    public JdbcAuditLog(AgroalDataSource ds) {
        this.ds = ds;
    }

    @Override
    public int append(List<AuditEntry> batch) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int added = 0;
                for (AuditEntry in : batch) {
                    if (append(c, in)) {
                        added++;
                    }
                }
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private boolean append(Connection c, AuditEntry in) throws SQLException {
        AuditRecord r = in.record();
        UUID eventId = UUID.fromString(r.getEventId());
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit_records WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        long sequence = 1;
        String previous = ChainHash.GENESIS;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sequence, record_hash FROM audit_records WHERE chain_id = ? ORDER BY sequence DESC LIMIT 1")) {
            ps.setString(1, in.chainId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    sequence = rs.getLong(1) + 1;
                    previous = rs.getString(2);
                }
            }
        }
        byte[] bytes = r.toByteArray();
        String hash = ChainHash.next(previous, bytes);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_records (event_id, chain_id, sequence, previous_hash, "
                + "record_hash, event_time, event_name, outcome, principal_arn, role_arn, session_id, access_key_id, "
                + "source_identity, account_id, source_offset, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setObject(1, eventId);
            ps.setString(2, in.chainId());
            ps.setLong(3, sequence);
            ps.setString(4, previous);
            ps.setString(5, hash);
            ps.setTimestamp(6, Timestamp.from(Instant.ofEpochSecond(r.getEventTime().getSeconds(), r.getEventTime().getNanos())));
            ps.setString(7, r.getEventName());
            ps.setString(8, r.getOutcome());
            ps.setString(9, r.getUserIdentity().getArn());
            ps.setString(10, AuditRecords.roleArn(r));
            ps.setString(11, emptyToNull(r.getSessionId()));
            ps.setString(12, emptyToNull(r.getAccessKeyId()));
            ps.setString(13, emptyToNull(r.getSourceIdentity()));
            ps.setString(14, emptyToNull(r.getRecipientAccountId()));
            ps.setLong(15, in.offset());
            ps.setBytes(16, bytes);
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public List<StoredRecord> lookup(AuditQuery f, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, chain_id, sequence, previous_hash, record_hash, record, event_time "
                + "FROM audit_records WHERE event_time >= ? AND event_time < ?");
        List<Object> args = new ArrayList<>();
        args.add(Timestamp.from(f.start()));
        args.add(Timestamp.from(f.end()));
        filter(sql, args, "principal_arn", f.principalArn());
        filter(sql, args, "role_arn", f.roleArn());
        filter(sql, args, "session_id", f.sessionId());
        filter(sql, args, "source_identity", f.sourceIdentity());
        filter(sql, args, "access_key_id", f.accessKeyId());
        filter(sql, args, "event_name", f.eventName());
        filter(sql, args, "outcome", f.outcome());
        if (after != null) {
            sql.append(" AND (event_time, id) < (?, ?)");
            args.add(Timestamp.from(after.eventTime()));
            args.add(after.id());
        }
        sql.append(" ORDER BY event_time DESC, id DESC LIMIT ?");
        args.add(limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Optional<StoredRecord> get(UUID eventId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, chain_id, sequence, previous_hash, record_hash, record, event_time FROM audit_records WHERE event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static StoredRecord row(ResultSet rs) throws SQLException {
        try {
            AuditRecord r = AuditRecord.parseFrom(rs.getBytes(6)).toBuilder()
                    .setChainId(rs.getString(2)).setSequence(rs.getLong(3))
                    .setPreviousHash(rs.getString(4)).setRecordHash(rs.getString(5)).build();
            return new StoredRecord(rs.getLong(1), r);
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("stored audit record " + rs.getLong(1) + " does not parse", e);
        }
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
