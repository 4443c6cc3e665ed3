-- LookupEvents / ExportEvents filter by session name, error code and resource ARN, and session
-- lineage follows a session forward to the sessions issued to it (docs/adr/020). The values are
-- derived from the record at insert (dev.sts.audit.domain.IndexedAttributes); the hashed bytes stay
-- the record column alone, so the chains are untouched.
-- ADD COLUMN without a default is a catalogue change: no table rewrite and no UPDATE, so the
-- append-only triggers do not fire and no existing row changes. Rows stored before this migration
-- keep NULL here (their values live only inside the serialized record, which SQL cannot read), so
-- these filters find records stored since.
ALTER TABLE audit_records
    ADD COLUMN session_name      VARCHAR(64),
    ADD COLUMN error_code        VARCHAR(128),
    ADD COLUMN resource_arn      VARCHAR(2048),
    ADD COLUMN caller_session_id VARCHAR(128);

-- Each filtered page is "WHERE <attribute> = ? AND event_time in range [AND (event_time, id) < cursor]
-- ORDER BY event_time DESC, id DESC LIMIT n": an index on (attribute, event_time, id) answers it
-- with one range scan that stops after n rows, however many records match.
CREATE INDEX audit_by_session_name ON audit_records (session_name, event_time DESC, id DESC)
    WHERE session_name IS NOT NULL;
CREATE INDEX audit_by_error_code ON audit_records (error_code, event_time DESC, id DESC)
    WHERE error_code IS NOT NULL;
CREATE INDEX audit_by_resource ON audit_records (resource_arn, event_time DESC, id DESC)
    WHERE resource_arn IS NOT NULL;
CREATE INDEX audit_by_event_name ON audit_records (event_name, event_time DESC, id DESC);
-- Refusals are few among many successes: a partial index serves outcome = 'Failure'.
CREATE INDEX audit_failures ON audit_records (event_time DESC, id DESC) WHERE outcome = 'Failure';
-- Lineage: the sessions issued to a caller's session.
CREATE INDEX audit_by_caller_session ON audit_records (caller_session_id, event_time, id)
    WHERE caller_session_id IS NOT NULL;
