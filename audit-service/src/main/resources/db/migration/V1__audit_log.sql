-- The audit log: one row per event, append-only. Each row extends the SHA-256 hash chain of its
-- Kafka partition (chain_id = '<topic>/<partition>'): record_hash = sha256(previous_hash || record).
CREATE TABLE audit_records (
    id              BIGSERIAL    PRIMARY KEY,
    event_id        UUID         NOT NULL UNIQUE,
    chain_id        VARCHAR(300) NOT NULL,
    sequence        BIGINT       NOT NULL,
    previous_hash   CHAR(64)     NOT NULL,
    record_hash     CHAR(64)     NOT NULL,
    event_time      TIMESTAMPTZ  NOT NULL,
    event_name      VARCHAR(128) NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    principal_arn   VARCHAR(700) NOT NULL,
    role_arn        VARCHAR(700),
    session_id      VARCHAR(64),
    access_key_id   VARCHAR(32),
    source_identity VARCHAR(64),
    account_id      VARCHAR(12),
    source_offset   BIGINT       NOT NULL,
    -- The serialized sts.v1.AuditRecord (without its chain fields): the bytes that are hashed.
    record          BYTEA        NOT NULL,
    stored_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT audit_chain_position UNIQUE (chain_id, sequence)
);
CREATE INDEX audit_by_time ON audit_records (event_time DESC, id DESC);
CREATE INDEX audit_by_principal ON audit_records (principal_arn, event_time DESC);
CREATE INDEX audit_by_role ON audit_records (role_arn, event_time DESC);
CREATE INDEX audit_by_access_key ON audit_records (access_key_id);
CREATE INDEX audit_by_session ON audit_records (session_id);

-- Append-only: the database itself refuses to change or remove a record.
CREATE FUNCTION audit_records_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_records_no_update BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_are_immutable();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_are_immutable();
