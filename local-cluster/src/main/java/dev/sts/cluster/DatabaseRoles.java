package dev.sts.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The databases and login roles of the local PostgreSQL.
 *
 * <p>audit-service gets two roles, as in production: Flyway migrates as the owner
 * {@value #AUDIT_OWNER}, and the service runs as {@value #AUDIT_RUNTIME}, which may connect and
 * nothing more until the migration grants it INSERT and SELECT on the audit tables. So the runtime
 * role cannot disable the triggers that keep the log append-only, nor change a stored record.
 * {@code PUBLIC} loses CONNECT on the audit database and CREATE in its {@code public} schema
 * (PostgreSQL 14, which zonky ships, still grants both), so no other role can write there either.
 * The other services keep the superuser for now.
 *
 * <p>The passwords are random per state directory (see {@link DevSecrets}); the server trusts
 * loopback connections anyway, but the services are configured as they would be in production.
 */
public final class DatabaseRoles {
    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "postgres";
    public static final String AUDIT_DATABASE = "audit";
    /** Owns the audit database and schema; Flyway migrates as this role. */
    public static final String AUDIT_OWNER = "audit_service";
    /** audit-service's runtime role: CONNECT here, INSERT and SELECT granted by the migration. */
    public static final String AUDIT_RUNTIME = "audit_app";

    /** The environment variable that carries a role's password to the PostgreSQL process. */
    public static String passwordVariable(String role) {
        return "STS_PG_PASSWORD_" + role.toUpperCase(java.util.Locale.ROOT);
    }

    /** The login roles the cluster creates. */
    public static List<String> loginRoles() {
        return List.of(AUDIT_OWNER, AUDIT_RUNTIME);
    }

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DatabaseRoles() {
    }

    /**
     * Creates the databases and roles that are missing and (re)applies passwords, ownership and
     * grants: idempotent, run on every start of the PostgreSQL process.
     *
     * @param superuser a connection to database {@code postgres} as the superuser
     * @param passwords the password of each of {@link #loginRoles()}
     * @param connectTo opens a superuser connection to a given database (for schema privileges)
     * @return what was created, for the log
     */
    public static List<String> provision(Connection superuser, List<String> databases, Map<String, String> passwords,
            SqlConnector connectTo) throws SQLException {
        List<String> created = new java.util.ArrayList<>();
        for (String db : databases) {
            if (createDatabaseIfMissing(superuser, db)) {
                created.add("database " + db);
            }
        }
        for (String role : loginRoles()) {
            String password = passwords.get(role);
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("no password for database role " + role);
            }
            if (upsertLoginRole(superuser, role, password)) {
                created.add("role " + role);
            }
        }
        if (databases.contains(AUDIT_DATABASE)) {
            try (Statement st = superuser.createStatement()) {
                st.execute("alter database " + AUDIT_DATABASE + " owner to " + AUDIT_OWNER);
                st.execute("revoke all on database " + AUDIT_DATABASE + " from public");
                st.execute("grant connect, temporary on database " + AUDIT_DATABASE + " to " + AUDIT_OWNER);
                st.execute("grant connect on database " + AUDIT_DATABASE + " to " + AUDIT_RUNTIME);
            }
            try (Connection audit = connectTo.open(AUDIT_DATABASE); Statement st = audit.createStatement()) {
                st.execute("alter schema public owner to " + AUDIT_OWNER);
                st.execute("revoke create on schema public from public");
                st.execute("grant usage on schema public to " + AUDIT_RUNTIME);
            }
        }
        return created;
    }

    /** Opens a superuser connection to a database. */
    @FunctionalInterface
    public interface SqlConnector {
        Connection open(String database) throws SQLException;
    }

    /** Creates {@code name} unless it exists; a concurrent creation by someone else is fine. */
    public static boolean createDatabaseIfMissing(Connection c, String name) throws SQLException {
        checkName(name);
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("create database \"" + name + "\"");
            return true;
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                return false;
            }
            throw e;
        }
    }

    /** Creates the login role or sets its password; {@code true} if it was created. */
    static boolean upsertLoginRole(Connection c, String role, String password) throws SQLException {
        checkName(role);
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute((exists ? "alter" : "create") + " role " + role + " login password " + literal(password));
        }
        return !exists;
    }

    /** The passwords of {@link #loginRoles()} from the environment the launcher gave the process. */
    static Map<String, String> passwordsFrom(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String role : loginRoles()) {
            m.put(role, env.get(passwordVariable(role)));
        }
        return m;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid name '" + name + "': use [a-z_][a-z0-9_]*");
        }
    }

    /** A SQL string literal (DDL takes no bind parameters); the passwords are base64url anyway. */
    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
