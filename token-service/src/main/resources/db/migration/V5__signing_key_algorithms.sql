-- Session tokens are signed with ES256 (EC P-256) or EdDSA (OKP Ed25519) keys
-- (docs/adr/019-ed25519-session-tokens.md). The algorithm column already says which, and the seal
-- binds it (seal_version 2 and 3), so the key type needs no column of its own: the algorithm
-- names it, and token-service refuses a row whose key is not of its algorithm's type. The database
-- now refuses any other algorithm too.
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_algorithm CHECK (algorithm IN ('ES256', 'EdDSA'));
