package dev.sts.audit.persistence;

import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditReader;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.StoredRecord;
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

/** {@link AuditReader} over PostgreSQL; every query is one bounded index range scan. */
@ApplicationScoped
public class JdbcAuditReader implements AuditReader {
    /** Only these issue sessions; a RevokeSessions record also carries a session id, and must not count. */
    private static final String ISSUED = " AND event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity') AND outcome = 'Success'";
    private final AgroalDataSource ds;

    public JdbcAuditReader(AgroalDataSource ds) {
        this.ds = ds;
    }

    @Override
    public List<StoredRecord> exportPage(AuditQuery query, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder(JdbcAuditLog.SELECT_ROW + " FROM audit_records WHERE ");
        List<Object> args = new ArrayList<>();
        JdbcAuditLog.where(sql, args, query);
        if (after != null) {
            sql.append(" AND (event_time, id) > (?, ?)");
            args.add(Timestamp.from(after.eventTime()));
            args.add(after.id());
        }
        sql.append(" ORDER BY event_time, id LIMIT ?");
        args.add(limit);
        return list(sql.toString(), args);
    }

    @Override
    public Optional<StoredRecord> sessionIssued(String sessionId) {
        return list(JdbcAuditLog.SELECT_ROW + " FROM audit_records WHERE session_id = ?" + ISSUED + " ORDER BY id LIMIT 1",
                List.of(sessionId)).stream().findFirst();
    }

    @Override
    public Optional<StoredRecord> sessionIssuedForAccessKey(String accessKeyId) {
        return list(JdbcAuditLog.SELECT_ROW + " FROM audit_records WHERE access_key_id = ?" + ISSUED + " ORDER BY id LIMIT 1",
                List.of(accessKeyId)).stream().findFirst();
    }

    @Override
    public List<StoredRecord> sessionsIssuedTo(String callerSessionId, int limit) {
        return list(JdbcAuditLog.SELECT_ROW + " FROM audit_records WHERE caller_session_id = ?" + ISSUED
                + " ORDER BY event_time, id LIMIT ?", List.of(callerSessionId, limit));
    }

    private List<StoredRecord> list(String sql, List<Object> args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(JdbcAuditLog.row(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }
}
