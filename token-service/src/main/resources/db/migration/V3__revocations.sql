-- Session revocations (RevokeSessions, ADR 013). A row is stored before its SessionsRevoked is
-- published on the compacted topic sts.revocations.v1 (key: revocation_id); the event bytes are kept
-- so that a publication that failed is repeated unchanged (same event id) by the relay. Once no
-- session the revocation covers can still be valid (expires_at), its key is tombstoned on the topic.
CREATE TABLE revocations (
    revocation_id  uuid          PRIMARY KEY,
    selector       varchar(16)   NOT NULL CHECK (selector IN ('SESSION_ID', 'ROLE_ARN', 'SOURCE_IDENTITY', 'ISSUED_BEFORE')),
    -- The session id, role ARN or source identity; NULL for ISSUED_BEFORE.
    selector_value varchar(2048) CHECK ((selector = 'ISSUED_BEFORE') = (selector_value IS NULL)),
    -- Sessions issued before it are covered: revoked_at, or the request's issued_before.
    cut_off        timestamptz   NOT NULL,
    revoked_at     timestamptz   NOT NULL,
    expires_at     timestamptz   NOT NULL CHECK (expires_at > cut_off),
    reason         varchar(1000),
    actor_arn      varchar(2048) NOT NULL,
    event          bytea         NOT NULL,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    published_at   timestamptz,
    tombstoned_at  timestamptz
);

-- What the relay reads: revocations whose publication was not acknowledged, and expired ones not
-- yet tombstoned.
CREATE INDEX revocations_unpublished ON revocations (created_at) WHERE published_at IS NULL;
CREATE INDEX revocations_to_tombstone ON revocations (expires_at) WHERE tombstoned_at IS NULL;
