package dev.sts.audit;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.cluster.test.SharedInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared PostgreSQL and Kafka, set up as production is: the database {@code audit} is owned by
 * {@link #OWNER}, a login role that is not a superuser, and Flyway migrates as it; the service
 * connects as {@link #APP_USER}, a login role with no privileges of its own, which the migrations
 * grant INSERT and SELECT. Tests that need the owner's rights use {@link #ownerConnection()}, those
 * that need more use {@link #superuserConnection()}.
 */
public class AuditDatabaseResource extends InfrastructureResource {
    public static final String DATABASE = "audit";
    public static final String OWNER = "audit_service";
    public static final String OWNER_PASSWORD = "audit-service-test-password";
    public static final String APP_USER = "audit_app";
    public static final String APP_PASSWORD = "audit-app-test-password";

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of(InfrastructureResource.DATABASE, DATABASE));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(super.start());
        SharedInfrastructure infra = SharedInfrastructure.get();
        createRoles(infra);
        config.put("quarkus.flyway.username", OWNER);
        config.put("quarkus.flyway.password", OWNER_PASSWORD);
        config.put("quarkus.datasource.username", APP_USER);
        config.put("quarkus.datasource.password", APP_PASSWORD);
        return config;
    }

    /** A connection as the owner of the audit tables (what migrations run as), for what the service must not do. */
    public static Connection ownerConnection() throws SQLException {
        return DriverManager.getConnection(SharedInfrastructure.get().jdbcUrl(DATABASE), OWNER, OWNER_PASSWORD);
    }

    /** A connection as the infrastructure's superuser. */
    public static Connection superuserConnection() throws SQLException {
        SharedInfrastructure infra = SharedInfrastructure.get();
        return DriverManager.getConnection(infra.jdbcUrl(DATABASE), infra.username(), infra.password());
    }

    /** A connection as the service's runtime role. */
    public static Connection appConnection() throws SQLException {
        return DriverManager.getConnection(SharedInfrastructure.get().jdbcUrl(DATABASE), APP_USER, APP_PASSWORD);
    }

    /** The two roles of init-databases.sh, and the database handed to its owner. Idempotent. */
    private static void createRoles(SharedInfrastructure infra) {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("postgres"), infra.username(), infra.password());
                Statement s = c.createStatement()) {
            createRole(s, OWNER, OWNER_PASSWORD);
            createRole(s, APP_USER, APP_PASSWORD);
            s.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the audit database roles: " + e.getMessage(), e);
        }
    }

    private static void createRole(Statement s, String name, String password) throws SQLException {
        s.execute("DO $$ BEGIN "
                + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN "
                + "CREATE ROLE " + name + " LOGIN NOSUPERUSER NOCREATEROLE PASSWORD '" + password + "'; END IF; "
                + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
    }
}
