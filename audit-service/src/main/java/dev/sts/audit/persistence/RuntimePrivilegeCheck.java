package dev.sts.audit.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Refuses to start when the database user the service runs as could rewrite history: a superuser,
 * a member of an audit table's owner (who can DISABLE its triggers or ALTER it), a role that can
 * grant itself other roles (CREATEROLE), or one holding UPDATE, DELETE, TRUNCATE or TRIGGER on a
 * table: the log, its signed checkpoints, or the checkpoint keys. The append-only trigger and the grants mean nothing against such a user. It applies in
 * every profile, tests included (they run as a least-privilege role too); see docs/adr/005.
 */
@ApplicationScoped
public class RuntimePrivilegeCheck {
    private static final Logger LOG = Logger.getLogger(RuntimePrivilegeCheck.class);
    /** The append-only tables: the log (V1), its checkpoints and the checkpoint keys (V5). */
    static final List<String> TABLES = List.of("audit_records", "audit_checkpoints", "audit_checkpoint_keys");

    private final AgroalDataSource ds;

    public RuntimePrivilegeCheck(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Before the consumer starts (its observer has the default, later priority). */
    void onStart(@Observes @Priority(10) StartupEvent ignored) {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            String line = "audit-service: refusing to run as a database user that could alter the audit log: "
                    + String.join("; ", problems)
                    + " (connect as a role with INSERT and SELECT only; migrations run as the owner: quarkus.flyway.username)";
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }

    /** What is wrong with the runtime user's privileges; empty when it may only append and read. */
    public List<String> problems() {
        try (Connection c = ds.getConnection()) {
            return problems(c);
        } catch (SQLException e) {
            throw new IllegalStateException("audit-service: cannot check the database user's privileges: "
                    + SqlErrors.translate(e).getMessage(), e);
        }
    }

    /** {@link #problems()} of the user of {@code c}. */
    public static List<String> problems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (String table : TABLES) {
            for (String p : problems(c, table)) {
                if (!problems.contains(p)) {
                    problems.add(p);
                }
            }
        }
        return problems;
    }

    private static List<String> problems(Connection c, String table) throws SQLException {
        String sql = "SELECT current_user, r.rolsuper, r.rolcreaterole, pg_has_role(current_user, c.relowner, 'MEMBER'), "
                + "has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'), "
                + "has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'TRIGGER') "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_roles r ON r.rolname = current_user "
                + "WHERE c.relname = ? AND n.nspname = current_schema()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of("the table " + table + " is not visible to the runtime user");
                }
                String user = rs.getString(1);
                List<String> problems = new ArrayList<>();
                if (rs.getBoolean(2)) {
                    problems.add(user + " is a superuser");
                }
                if (rs.getBoolean(3)) {
                    problems.add(user + " has CREATEROLE");
                }
                if (rs.getBoolean(4)) {
                    problems.add(user + " owns " + table + " (or is a member of its owner) and could disable its triggers");
                }
                String[] privileges = {"UPDATE", "DELETE", "TRUNCATE", "TRIGGER"};
                for (int i = 0; i < privileges.length; i++) {
                    if (rs.getBoolean(5 + i)) {
                        problems.add(user + " holds " + privileges[i] + " on " + table);
                    }
                }
                return problems;
            }
        }
    }
}
