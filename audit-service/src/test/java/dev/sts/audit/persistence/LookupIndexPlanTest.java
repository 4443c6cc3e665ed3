package dev.sts.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.AuditDatabaseResource;
import dev.sts.audit.SessionTokensResource;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.Cursor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each filter of LookupEvents is answered by an index, on a table of realistic size and shape:
 * 200,000 records over 90 days, 2,000 principals, 5,000 session names, 300 resources, 5 % refused.
 * The statement is exactly what a page runs ({@link JdbcAuditLog#lookupQuery}), EXPLAINed against a
 * temporary table that copies audit_records' columns and indexes (a temporary table of the same
 * name comes first on the session's search path), so the shared log is not touched.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class LookupIndexPlanTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static Connection c;

    @BeforeAll
    static void fill() throws SQLException {
        c = AuditDatabaseResource.ownerConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE audit_records (LIKE public.audit_records INCLUDING ALL)");
            s.execute("INSERT INTO audit_records (event_id, chain_id, sequence, previous_hash, record_hash, event_time, "
                    + "event_name, outcome, principal_arn, role_arn, session_id, access_key_id, source_identity, account_id, "
                    + "source_offset, record, session_name, error_code, resource_arn, caller_session_id) "
                    + "SELECT gen_random_uuid(), 'sts.session-events.v1/0', g, repeat('0', 64), repeat('0', 64), "
                    + "timestamptz '2026-06-01' - (g * interval '38 seconds'), "
                    + "(ARRAY['AssumeRole','AssumeRoleWithWebIdentity','CreateRole','PutRolePolicy','RevokeSessions','DeleteRole'])[1 + g % 6], "
                    + "CASE WHEN g % 20 = 0 THEN 'Failure' ELSE 'Success' END, "
                    + "'arn:aws:iam::000000000000:user/u' || (g % 2000), "
                    // a record about a policy names no role (IndexedAttributes)
                    + "CASE WHEN g % 7 <> 0 THEN 'arn:aws:iam::000000000000:role/r' || (g % 300) END, "
                    + "md5(g::text), 'ASIA' || upper(substr(md5(g::text), 1, 16)), NULL, '000000000000', g, '\\x00'::bytea, "
                    + "'session-' || (g % 5000), "
                    + "CASE WHEN g % 2000 = 0 THEN 'MalformedPolicyDocument' WHEN g % 20 = 0 THEN 'AccessDenied' END, "
                    // rows stored before V4 have a role and no resource_arn
                    + "CASE WHEN g % 7 = 0 THEN 'arn:aws:iam::000000000000:policy/p' || (g % 300) "
                    + "WHEN g % 11 = 0 THEN NULL ELSE 'arn:aws:iam::000000000000:role/r' || (g % 300) END, "
                    + "CASE WHEN g % 3 = 0 THEN md5((g / 3)::text) END "
                    + "FROM generate_series(1, 200000) g");
            // LIKE copies no statistics targets: the plans are checked with the log's own (V8).
            s.execute("DO $$ DECLARE a record; BEGIN "
                    + "FOR a IN SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = 'public.audit_records'::regclass "
                    + "AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0 LOOP "
                    + "EXECUTE format('ALTER TABLE pg_temp.audit_records ALTER COLUMN %I SET STATISTICS %s', a.attname, a.attstattarget); "
                    + "END LOOP; "
                    + "FOR a IN SELECT indexrelid::regclass AS idx FROM pg_index "
                    + "WHERE indrelid = 'pg_temp.audit_records'::regclass AND indexprs IS NOT NULL LOOP "
                    + "EXECUTE format('ALTER INDEX %s ALTER COLUMN 1 SET STATISTICS %s', a.idx, (SELECT max(p.attstattarget) "
                    + "FROM pg_index i JOIN pg_attribute p ON p.attrelid = i.indexrelid AND p.attnum = 1 "
                    + "WHERE i.indrelid = 'public.audit_records'::regclass AND i.indexprs IS NOT NULL)); "
                    + "END LOOP; END $$");
            s.execute("ANALYZE audit_records");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE pg_temp.audit_records");
        }
        c.close();
    }

    /**
     * The generic plan of a page: what PostgreSQL may keep for a statement prepared on the server,
     * which the driver does after five runs of it. Made without the parameters' values.
     */
    static String genericPlan(UnaryOperator<AuditQuery.Builder> filter, Cursor after) throws SQLException {
        JdbcAuditLog.Query query = page(filter, after);
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : query.sql().toCharArray()) {
            numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        // EXPLAIN takes no bound parameters: the values go in as literals (the test's own constants)
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Object arg : query.args()) {
            if (arg instanceof java.sql.Timestamp t) {
                types.add("timestamptz");
                values.add("'" + t.toInstant() + "'");
            } else if (arg instanceof Long || arg instanceof Integer) {
                types.add(arg instanceof Long ? "bigint" : "integer");
                values.add(arg.toString());
            } else {
                types.add("text");
                values.add("'" + arg.toString().replace("'", "''") + "'");
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE page(" + String.join(", ", types) + ") AS " + numbered);
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN EXECUTE page(" + String.join(", ", values) + ")")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
            return out.toString();
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DEALLOCATE page");
                s.execute("RESET plan_cache_mode");
            }
        }
    }

    /** The statement of a page of 51 rows over the last 90 days. */
    static JdbcAuditLog.Query page(UnaryOperator<AuditQuery.Builder> filter, Cursor after) {
        return JdbcAuditLog.lookupQuery(filter.apply(AuditQuery.between(NOW.minus(90, ChronoUnit.DAYS), NOW)).build(), after, 51);
    }

    static String plan(UnaryOperator<AuditQuery.Builder> filter, Cursor after) throws SQLException {
        JdbcAuditLog.Query query = page(filter, after);
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT TEXT) " + query.sql())) {
            query.bind(ps);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            return out.toString();
        }
    }

    /**
     * The copied indexes have generated names ({@code audit_records_<columns>_idx}); the plan must
     * scan the one that leads with the filter's column, with the filter and the time range as its
     * index condition.
     */
    static void assertIndexed(String plan, String column) {
        assertThat(plan).as(plan).doesNotContain("Seq Scan")
                .containsPattern("Index Scan (Backward )?(on|using) audit_records_" + column + "_event_time_id_idx ")
                .containsPattern("Index Cond: \\(+" + column + "\\)");
    }

    @Test
    void sessionNamePageUsesItsIndex() throws SQLException {
        assertIndexed(plan(b -> b.sessionName("session-42"), null), "session_name");
    }

    @Test
    void errorCodePageUsesItsIndex() throws SQLException {
        assertIndexed(plan(b -> b.errorCode("MalformedPolicyDocument"), null), "error_code");
    }

    @Test
    void resourceArnPageUsesItsIndex() throws SQLException {
        assertRoleOrResourceIndexed(plan(b -> b.resourceArn("arn:aws:iam::000000000000:policy/p7"), null));
    }

    @Test
    void laterPagesStayOnTheIndex() throws SQLException {
        Cursor middle = new Cursor(NOW.minus(30, ChronoUnit.DAYS), 70_000);
        assertIndexed(plan(b -> b.sessionName("session-42"), middle), "session_name");
        assertRoleOrResourceIndexed(plan(b -> b.resourceArn("arn:aws:iam::000000000000:role/r8"), middle));
        assertRoleOrResourceIndexed(plan(b -> b.roleArn("arn:aws:iam::000000000000:role/r8"), middle));
    }

    /** The role filter and the resource filter read one index, on COALESCE(resource_arn, role_arn) (V7). */
    static void assertRoleOrResourceIndexed(String plan) {
        assertThat(plan).as(plan).doesNotContain("Seq Scan")
                .containsPattern("Index Scan (Backward )?(on|using) audit_records_coalesce_event_time_id_idx ")
                .containsPattern("Index Cond: \\(+COALESCE\\(resource_arn, role_arn\\)");
    }

    @Test
    void roleArnPageUsesTheResourceIndex() throws SQLException {
        assertRoleOrResourceIndexed(plan(b -> b.roleArn("arn:aws:iam::000000000000:role/r7"), null));
    }

    /**
     * Without an index of its own, the role filter still finds every record of the role: those
     * stored before V4 (no resource_arn) included, and never a policy's record; the resource filter
     * still finds only records that have a resource_arn.
     */
    @Test
    void roleAndResourceFiltersKeepTheirMeaningOnOneIndex() throws SQLException {
        String role = "arn:aws:iam::000000000000:role/r7";
        String policy = "arn:aws:iam::000000000000:policy/p7";
        assertThat(count("role_arn = '" + role + "' AND resource_arn IS NULL")).as("rows as stored before V4").isPositive();
        assertThat(found(b -> b.roleArn(role))).isEqualTo(count("role_arn = '" + role + "'")).isPositive();
        assertThat(found(b -> b.resourceArn(role))).isEqualTo(count("resource_arn = '" + role + "'"))
                .isLessThan(count("role_arn = '" + role + "'"));
        assertThat(found(b -> b.resourceArn(policy))).isEqualTo(count("resource_arn = '" + policy + "'")).isPositive();
        assertThat(found(b -> b.roleArn(policy))).isZero();
    }

    static long count(String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_records WHERE "
                + where + " AND event_time >= timestamptz '2026-06-01' - interval '90 days'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How many rows the page query answers (one page of up to 10,000). */
    static long found(UnaryOperator<AuditQuery.Builder> filter) throws SQLException {
        AuditQuery q = filter.apply(AuditQuery.between(NOW.minus(90, ChronoUnit.DAYS), NOW)).build();
        JdbcAuditLog.Query query = JdbcAuditLog.lookupQuery(q, null, 10_000);
        try (PreparedStatement ps = c.prepareStatement(query.sql())) {
            query.bind(ps);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * A page stops after its rows even in a plan made without the parameters' values: the driver
     * prepares a statement on the server after five runs, and PostgreSQL may then keep a generic
     * plan. Each paged filter's index is in the page's order (event_time DESC, id DESC), so no plan
     * sorts. audit_by_principal lacked the id (V1): a generic plan then sorted every record of the
     * principal in the time range, 96 ms for 2,600 of them at 1.3 M records (V8 rebuilds it).
     */
    @Test
    void noPagedFilterSortsEvenInAGenericPlan() throws SQLException {
        Map<String, UnaryOperator<AuditQuery.Builder>> filters = new LinkedHashMap<>();
        filters.put("principal", b -> b.principalArn("arn:aws:iam::000000000000:user/u7"));
        filters.put("role", b -> b.roleArn("arn:aws:iam::000000000000:role/r7"));
        filters.put("resource", b -> b.resourceArn("arn:aws:iam::000000000000:policy/p7"));
        filters.put("session name", b -> b.sessionName("session-42"));
        filters.put("error code", b -> b.errorCode("AccessDenied"));
        filters.put("event name", b -> b.eventName("DeleteRole"));
        filters.put("outcome", b -> b.outcome("Failure"));
        filters.put("none", b -> b);
        Cursor middle = new Cursor(NOW.minus(30, ChronoUnit.DAYS), 70_000);
        for (Map.Entry<String, UnaryOperator<AuditQuery.Builder>> f : filters.entrySet()) {
            for (Cursor after : new Cursor[] {null, middle}) {
                String plan = genericPlan(f.getValue(), after);
                assertThat(plan).as(f.getKey() + (after == null ? ", first page: " : ", later page: ") + plan)
                        .contains("$1").doesNotContain("Sort").doesNotContain("Seq Scan");
            }
        }
    }

    @Test
    void everyOtherFilterIsAnsweredByAnIndex() throws SQLException {
        assertThat(plan(b -> b.principalArn("arn:aws:iam::000000000000:user/u7"), null)).doesNotContain("Seq Scan");
        assertThat(plan(b -> b.accessKeyId("ASIA0123456789ABCDEF"), null)).doesNotContain("Seq Scan");
        assertThat(plan(b -> b.sessionId("0123456789abcdef"), null)).doesNotContain("Seq Scan");
        assertThat(plan(b -> b.eventName("DeleteRole"), null)).doesNotContain("Seq Scan");
        assertThat(plan(b -> b.outcome("Failure"), null)).doesNotContain("Seq Scan");
        assertThat(plan(b -> b, null)).doesNotContain("Seq Scan");
    }

    /**
     * The indexes kept in arrival order (V6): a newest-first page reads them backwards, and the
     * partial indexes of ids serve an equality.
     */
    @Test
    void newestFirstPagesReadTheTimeOrderedIndexesBackwards() throws SQLException {
        assertThat(plan(b -> b, null)).containsPattern("Index Scan Backward using audit_records_event_time_id_idx ");
        assertThat(plan(b -> b.outcome("Failure"), null))
                .containsPattern("Index Scan Backward using audit_records_event_time_id_idx1 ");
        assertThat(plan(b -> b.accessKeyId("ASIA0123456789ABCDEF"), null)).contains("audit_records_access_key_id_idx");
        assertThat(plan(b -> b.sessionId("0123456789abcdef"), null)).contains("audit_records_session_id_idx");
    }
}
