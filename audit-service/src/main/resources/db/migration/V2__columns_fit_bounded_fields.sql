-- Every column fits every value the producers may send. Producers bound caller-supplied fields to
-- AWS's limits (ARNs 2,048 characters, session name 64, source identity 64, ...); a denied
-- AssumeRole for an 800-character role ARN used to stop ingestion at VARCHAR(700).
-- Widening a VARCHAR is a catalogue change in PostgreSQL: no table rewrite, no index rebuild, and
-- no UPDATE trigger fires, so the append-only guarantee and the hash chains are untouched.
ALTER TABLE audit_records
    ALTER COLUMN principal_arn TYPE VARCHAR(2048),
    ALTER COLUMN role_arn      TYPE VARCHAR(2048),
    ALTER COLUMN session_id    TYPE VARCHAR(128);
