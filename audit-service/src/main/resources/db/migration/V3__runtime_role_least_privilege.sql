-- Least privilege: migrations run as the owner of the audit tables; the service connects as
-- ${app_user} (quarkus.datasource.username), which may only append and read. It cannot UPDATE,
-- DELETE or TRUNCATE, and, not owning the table, cannot ALTER it or DISABLE its triggers. The
-- role must exist before this runs (docker/postgres/init-databases.sh creates it); a missing role
-- fails the migration, and with it the start.
REVOKE ALL ON TABLE audit_records FROM PUBLIC;
REVOKE ALL ON TABLE audit_records FROM "${app_user}";
GRANT SELECT, INSERT ON TABLE audit_records TO "${app_user}";
-- The BIGSERIAL id: INSERT calls nextval(), which needs USAGE on the sequence.
GRANT USAGE ON SEQUENCE audit_records_id_seq TO "${app_user}";
GRANT USAGE ON SCHEMA public TO "${app_user}";
-- PostgreSQL 14 and older let PUBLIC create objects in public; 15+ already do not. A warning, not
-- an error, when the owner of this database does not own the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '${app_user}');
END
$$;
