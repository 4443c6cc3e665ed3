-- Autovacuum and ANALYZE for a table that only ever grows, and the principal index in page order
-- (docs/adr/033).
--
-- audit_records is never updated or deleted from (the triggers of V1), so vacuum has no dead rows
-- to remove. It still has to visit every page once: to mark it all-visible and to freeze its rows
-- before transaction ids wrap around. PostgreSQL's defaults for that cost the ingest path on a
-- small machine:
-- * An insert-triggered VACUUM (autovacuum_vacuum_insert_scale_factor, PostgreSQL 13+) visits
--   the pages appended since the last one, and, with the default freeze age, visits them all
--   again later to freeze them. With vacuum_freeze_min_age 0 the first visit freezes, so a page
--   is visited once in its life and the anti-wraparound vacuum has nothing left to scan.
-- * The default cost delay (2 ms) lets one VACUUM take a large share of a 2-core machine for tens
--   of seconds. Measured on the local cluster at 10,000 events/s, a VACUUM of about 1 M appended
--   rows left the store seconds behind (ack -> queryable p99 3.8-6.0 s, against 0.27-0.98 s with
--   autovacuum off for the table). 20 ms spreads the same work ten times thinner.
-- * Autovacuum's ANALYZE reads a sample of 300 x the largest statistics target of the table's
--   columns and index expressions: 30,000 rows, 1.0-1.4 s of CPU, every 10% of growth (every 13 s
--   at 10,000 events/s on a 1.3 M record log). The filters' plans need little of it: each
--   LookupEvents filter has its index in the page's order, and record/hash columns are never
--   filtered on. Target 10 for the filtered columns (0 for the rest) samples 3,000 rows: 0.16 s.
ALTER TABLE audit_records SET (
    autovacuum_freeze_min_age = 0,
    autovacuum_vacuum_cost_delay = 20
);
ALTER TABLE audit_records
    ALTER COLUMN record SET STATISTICS 0,
    ALTER COLUMN previous_hash SET STATISTICS 0,
    ALTER COLUMN record_hash SET STATISTICS 0,
    ALTER COLUMN id SET STATISTICS 10,
    ALTER COLUMN event_id SET STATISTICS 10,
    ALTER COLUMN chain_id SET STATISTICS 10,
    ALTER COLUMN sequence SET STATISTICS 10,
    ALTER COLUMN event_time SET STATISTICS 10,
    ALTER COLUMN event_name SET STATISTICS 10,
    ALTER COLUMN outcome SET STATISTICS 10,
    ALTER COLUMN principal_arn SET STATISTICS 10,
    ALTER COLUMN role_arn SET STATISTICS 10,
    ALTER COLUMN session_id SET STATISTICS 10,
    ALTER COLUMN access_key_id SET STATISTICS 10,
    ALTER COLUMN source_identity SET STATISTICS 10,
    ALTER COLUMN account_id SET STATISTICS 10,
    ALTER COLUMN source_offset SET STATISTICS 10,
    ALTER COLUMN stored_at SET STATISTICS 10,
    ALTER COLUMN session_name SET STATISTICS 10,
    ALTER COLUMN error_code SET STATISTICS 10,
    ALTER COLUMN resource_arn SET STATISTICS 10,
    ALTER COLUMN caller_session_id SET STATISTICS 10;
ALTER INDEX audit_by_resource ALTER COLUMN 1 SET STATISTICS 10;

-- audit_by_principal is the one paged filter's index without the id (V1), so a page of it ends
-- in a sort. With the parameters' values the planner makes that an incremental sort, which stops
-- after the page; but after five runs the driver prepares the statement on the server, and
-- PostgreSQL may keep a generic plan, which sorted every record of the principal in the time range:
-- 96 ms for 2,600 of them on a 1.3 M record log, against 6-9 ms. In the page's full order, no plan
-- sorts (LookupIndexPlanTest.noPagedFilterSortsEvenInAGenericPlan).
DROP INDEX audit_by_principal;
CREATE INDEX audit_by_principal ON audit_records (principal_arn, event_time DESC, id DESC);
-- The role filter's page asks for COALESCE(resource_arn, role_arn) = ? AND role_arn = ? (V7).
-- Taken as independent, the two conditions leave a generic plan expecting one row, so it read
-- every record of the role through a bitmap and sorted them. They are not independent: a set
-- role_arn is the index key. Statistics on that dependency let the planner see it.
CREATE STATISTICS audit_role_resource (dependencies) ON role_arn, (COALESCE(resource_arn, role_arn)) FROM audit_records;
