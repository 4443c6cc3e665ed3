-- Signing keys. The private key is stored only encrypted (AES-256-GCM) with the key-encryption
-- key supplied from outside the database; the public key is what the JWKS publishes.
CREATE TABLE signing_keys (
    kid                 VARCHAR(64)  PRIMARY KEY,
    algorithm           VARCHAR(16)  NOT NULL,
    public_jwk          TEXT         NOT NULL,
    private_jwk_sealed  BYTEA        NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL,
    -- The key signs tokens until then; no token it signs expires after retire_at + max lifetime.
    sign_until          TIMESTAMPTZ  NOT NULL,
    -- The key stays in the JWKS until then (after the last token it signed has expired).
    publish_until       TIMESTAMPTZ  NOT NULL
);
