-- Scheduled rotation (docs/adr/016-signing-key-rotation.md).
-- sign_from: when the key becomes the signing key. A key is written well before then (the
-- pre-publication lead), so every replica and every verifier's cached JWK set holds it before any
-- token is signed with it. Rows written before this migration signed from their creation.
ALTER TABLE signing_keys ADD COLUMN sign_from TIMESTAMPTZ;
UPDATE signing_keys SET sign_from = created_at;
ALTER TABLE signing_keys ALTER COLUMN sign_from SET NOT NULL;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_window CHECK (created_at <= sign_from AND sign_from < sign_until
    AND sign_until <= publish_until);
-- seal_version 3: a retired key. Once a key no longer signs, its private key is destroyed: the
-- sealed column then holds the public key alone, sealed with the row bound as associated data, so
-- the key-encryption key still vouches for what is published while nothing can sign with it.
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_seal_version;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_seal_version CHECK (seal_version IN (1, 2, 3));
-- Scheduling reads keys by the end of their signing window.
CREATE INDEX signing_keys_sign_until ON signing_keys (sign_until);
