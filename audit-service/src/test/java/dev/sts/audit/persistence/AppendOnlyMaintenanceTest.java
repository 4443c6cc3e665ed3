package dev.sts.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.AuditDatabaseResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The log's maintenance settings (V8, ADR 033): a vacuum freezes what it visits and runs gently,
 * and ANALYZE samples 3,000 rows, not 30,000. A column or index expression added later without a
 * statistics target would take the sample back to 300 x 100 rows; this test names it.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class AppendOnlyMaintenanceTest {

    @Test
    void vacuumFreezesWhatItVisitsAndRunsGently() throws SQLException {
        try (Connection c = AuditDatabaseResource.appConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT unnest(reloptions) FROM pg_class WHERE oid = 'public.audit_records'::regclass")) {
            List<String> options = new ArrayList<>();
            while (rs.next()) {
                options.add(rs.getString(1));
            }
            assertThat(options).contains("autovacuum_freeze_min_age=0", "autovacuum_vacuum_cost_delay=20");
        }
    }

    @Test
    void analyzeSamplesAtMostThreeThousandRows() throws SQLException {
        // ANALYZE samples 300 x the largest target of the table's columns and index expressions;
        // -1 is the server's default_statistics_target (100).
        Map<String, Integer> targets = new LinkedHashMap<>();
        try (Connection c = AuditDatabaseResource.appConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT a.attrelid::regclass || '.' || a.attname, a.attstattarget FROM pg_attribute a "
                        + "WHERE a.attnum > 0 AND NOT a.attisdropped AND (a.attrelid = 'public.audit_records'::regclass "
                        // an index's expression columns (indkey 0); a plain column's statistics are the table's
                        + "OR a.attrelid IN (SELECT indexrelid FROM pg_index i WHERE indrelid = 'public.audit_records'::regclass "
                        + "AND i.indkey[a.attnum - 1] = 0))")) {
            while (rs.next()) {
                targets.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertThat(targets).containsKeys("audit_records.principal_arn", "audit_records.record", "audit_by_resource.coalesce");
        assertThat(targets).allSatisfy((column, target) -> assertThat(target).as(column).isBetween(0, 10));
        assertThat(targets).containsEntry("audit_records.record", 0).containsEntry("audit_records.event_time", 10);
    }
}
