-- Sealed private keys now bind the whole row as AES-GCM associated data: kid, algorithm, public
-- key, created_at, sign_until and publish_until (seal_version 2). Rows written before sealed the
-- kid alone (seal_version 1); token-service re-seals them at start when the old seal still opens and
-- the stored public key is the private key's own, and refuses them otherwise
-- (docs/adr/004-signing-key-integrity.md).
ALTER TABLE signing_keys ADD COLUMN seal_version SMALLINT NOT NULL DEFAULT 1;
-- No default from now on: every writer states the format it sealed with.
ALTER TABLE signing_keys ALTER COLUMN seal_version DROP DEFAULT;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_seal_version CHECK (seal_version IN (1, 2));
