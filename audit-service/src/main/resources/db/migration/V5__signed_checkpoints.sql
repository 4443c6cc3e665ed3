-- Signed checkpoints of the hash chains (docs/adr/021). Self-contained: it depends on V1-V3 only.
--
-- audit_checkpoint_keys: audit-service's checkpoint signing keys. The private key is sealed with
-- AES-256-GCM under the service's key-encryption key, with the kid, algorithm, public key and
-- creation time as associated data: a row the database's owner inserts or alters does not open, so
-- it is neither published nor trusted. Only the key-encryption key vouches for a key.
CREATE TABLE audit_checkpoint_keys (
    kid                VARCHAR(64)  PRIMARY KEY,
    algorithm          VARCHAR(16)  NOT NULL,
    public_jwk         TEXT         NOT NULL,
    private_jwk_sealed BYTEA        NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL
);

-- audit_checkpoints: one signed statement "chain C had, at time T, the record of sequence S with
-- hash H as its head". jws is the signed form (compact serialization, also published to
-- sts.audit-checkpoints.v1); the other columns repeat its payload for queries, and VerifyChain
-- checks that they agree with it.
CREATE TABLE audit_checkpoints (
    id          BIGSERIAL    PRIMARY KEY,
    chain_id    VARCHAR(300) NOT NULL,
    sequence    BIGINT       NOT NULL,
    record_hash CHAR(64)     NOT NULL,
    signed_at   TIMESTAMPTZ  NOT NULL,
    kid         VARCHAR(64)  NOT NULL,
    jws         TEXT         NOT NULL,
    stored_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Two replicas checkpointing the same head store it once (INSERT ... ON CONFLICT DO NOTHING,
    -- which needs no UPDATE privilege); the index also serves "latest checkpoint of a chain".
    CONSTRAINT audit_checkpoint_position UNIQUE (chain_id, sequence)
);

-- Append-only, as audit_records: the same function refuses UPDATE, DELETE and TRUNCATE.
CREATE TRIGGER audit_checkpoint_keys_no_update BEFORE UPDATE OR DELETE ON audit_checkpoint_keys
    FOR EACH ROW EXECUTE FUNCTION audit_records_are_immutable();
CREATE TRIGGER audit_checkpoint_keys_no_truncate BEFORE TRUNCATE ON audit_checkpoint_keys
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_are_immutable();
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_records_are_immutable();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_are_immutable();

-- Least privilege, as V3 for audit_records: the runtime role may append and read, nothing else.
REVOKE ALL ON TABLE audit_checkpoint_keys, audit_checkpoints FROM PUBLIC;
REVOKE ALL ON TABLE audit_checkpoint_keys, audit_checkpoints FROM "${app_user}";
GRANT SELECT, INSERT ON TABLE audit_checkpoint_keys, audit_checkpoints TO "${app_user}";
GRANT USAGE ON SEQUENCE audit_checkpoints_id_seq TO "${app_user}";
