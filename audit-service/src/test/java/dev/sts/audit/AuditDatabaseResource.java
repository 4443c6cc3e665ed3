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
 * The shared PostgreSQL and Kafka, set up as production is: Flyway migrates the database
 * {@code audit} as the infrastructure's superuser (the owner role), and the service connects as
 * {@link #APP_USER}, a login role with no privileges of its own, which the migrations grant INSERT
 * and SELECT. Tests that need the owner's rights use {@link #ownerConnection()}.
 */
public class AuditDatabaseResource extends InfrastructureResource {
    public static final String DATABASE = "audit";
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
        createAppRole(infra);
        config.put("quarkus.flyway.username", infra.username());
        config.put("quarkus.flyway.password", infra.password());
        config.put("quarkus.datasource.username", APP_USER);
        config.put("quarkus.datasource.password", APP_PASSWORD);
        return config;
    }

    /** A connection with the owner's rights (the infrastructure's superuser), for what the service must not do. */
    public static Connection ownerConnection() throws SQLException {
        SharedInfrastructure infra = SharedInfrastructure.get();
        return DriverManager.getConnection(infra.jdbcUrl(DATABASE), infra.username(), infra.password());
    }

    /** A connection as the service's runtime role. */
    public static Connection appConnection() throws SQLException {
        return DriverManager.getConnection(SharedInfrastructure.get().jdbcUrl(DATABASE), APP_USER, APP_PASSWORD);
    }

    private static void createAppRole(SharedInfrastructure infra) {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl("postgres"), infra.username(), infra.password());
                Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN "
                    + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "') THEN "
                    + "CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'; END IF; "
                    + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the role " + APP_USER + ": " + e.getMessage(), e);
        }
    }
}
