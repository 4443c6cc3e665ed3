package dev.sts.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.AuditDatabaseResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service's connections wait for PostgreSQL to flush a commit before it is acknowledged, even
 * on a server whose default does not (the shared test PostgreSQL, like the local cluster's, runs
 * the zonky binaries with {@code synchronous_commit=off}): offsets are committed to Kafka after
 * the rows, so an unflushed commit lost in a crash would lose events (ADR 028).
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class DurableCommitTest {
    @Inject
    AgroalDataSource ds;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void theServiceCommitsDurablyWhereTheServerDefaultDoesNot() throws Exception {
        try (Connection plain = DriverManager.getConnection(url, user, password)) {
            assertThat(synchronousCommit(plain)).as("the test server's own default (else this test proves nothing)")
                    .isEqualTo("off");
        }
        try (Connection c = ds.getConnection()) {
            assertThat(synchronousCommit(c)).isEqualTo("on");
        }
    }

    private static String synchronousCommit(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
