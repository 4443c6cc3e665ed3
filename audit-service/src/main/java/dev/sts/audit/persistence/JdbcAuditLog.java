package dev.sts.audit.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditQuery;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The audit log in PostgreSQL. Appends extend each partition's hash chain inside one transaction,
 * a batch in a fixed number of round trips ({@link BatchAppend}); an event id seen before is
 * skipped, so redelivery after a crash stores nothing twice. Every
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
                int added;
                try {
                    added = BatchAppend.append(c, batch, false);
                } catch (SQLException e) {
                    if (!SqlErrors.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // An event id stored already (a redelivery) or a concurrent writer: again, with
                    // the stored ids looked up and the chain heads read anew (ADR 033).
                    c.rollback();
                    added = BatchAppend.append(c, batch, true);
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

    @Override
    public List<StoredRecord> lookup(AuditQuery f, Cursor after, int limit) {
        Query q = lookupQuery(f, after, limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(q.sql())) {
            q.bind(ps);
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

    /** A statement and its arguments, so that a test can EXPLAIN exactly what a page runs. */
    record Query(String sql, List<Object> args) {
        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
        }
    }

    /** One LookupEvents page: newest first, strictly after the cursor (keyset paging). */
    static Query lookupQuery(AuditQuery f, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder(SELECT_ROW + " FROM audit_records WHERE ");
        List<Object> args = new ArrayList<>();
        where(sql, args, f);
        if (after != null) {
            sql.append(" AND (event_time, id) < (?, ?)");
            args.add(Timestamp.from(after.eventTime()));
            args.add(after.id());
        }
        sql.append(" ORDER BY event_time DESC, id DESC LIMIT ?");
        args.add(limit);
        return new Query(sql.toString(), args);
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

    /** The columns {@link #row} reads, in its order. */
    static final String SELECT_ROW = "SELECT id, chain_id, sequence, previous_hash, record_hash, record, event_time";

    /** The time range and every attribute filter of the query, ANDed, for both reading orders. */
    static void where(StringBuilder sql, List<Object> args, AuditQuery f) {
        sql.append("event_time >= ? AND event_time < ?");
        args.add(Timestamp.from(f.start()));
        args.add(Timestamp.from(f.end()));
        filter(sql, args, "principal_arn", f.principalArn());
        roleOrResource(sql, args, "role_arn", f.roleArn());
        filter(sql, args, "session_id", f.sessionId());
        filter(sql, args, "source_identity", f.sourceIdentity());
        filter(sql, args, "access_key_id", f.accessKeyId());
        filter(sql, args, "event_name", f.eventName());
        filter(sql, args, "outcome", f.outcome());
        filter(sql, args, "session_name", f.sessionName());
        filter(sql, args, "error_code", f.errorCode());
        roleOrResource(sql, args, "resource_arn", f.resourceArn());
    }

    /**
     * The key of {@code audit_by_resource} (V7): a record's resource, or for a record stored before
     * V4 (which has no resource_arn) its role. A role filter and a resource filter both go through
     * it, each with its own column as well, so neither changes meaning (docs/adr/031).
     */
    static final String ROLE_OR_RESOURCE = "COALESCE(resource_arn, role_arn)";

    private static void roleOrResource(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isEmpty()) {
            sql.append(" AND ").append(ROLE_OR_RESOURCE).append(" = ? AND ").append(column).append(" = ?");
            args.add(value);
            args.add(value);
        }
    }

    static StoredRecord row(ResultSet rs) throws SQLException {
        try {
            AuditRecord r = AuditRecord.parseFrom(rs.getBytes(6)).toBuilder()
                    .setChainId(rs.getString(2)).setSequence(rs.getLong(3))
                    .setPreviousHash(rs.getString(4)).setRecordHash(rs.getString(5)).build();
            return new StoredRecord(rs.getLong(1), r, rs.getTimestamp(7).toInstant());
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
