-- Roles, as IAM keeps them. A role name is unique per account ignoring case, as in IAM.
CREATE TABLE roles (
    role_id              VARCHAR(21)  PRIMARY KEY,
    account_id           VARCHAR(12)  NOT NULL,
    role_name            VARCHAR(64)  NOT NULL,
    role_name_key        VARCHAR(64)  NOT NULL,
    path                 VARCHAR(512) NOT NULL,
    arn                  VARCHAR(700) NOT NULL,
    trust_policy         TEXT         NOT NULL,
    description          VARCHAR(1000) NOT NULL DEFAULT '',
    max_session_duration INTEGER      NOT NULL,
    permissions_boundary VARCHAR(700),
    tags                 TEXT         NOT NULL DEFAULT '[]',
    revision             BIGINT       NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    updated_at           TIMESTAMPTZ  NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (account_id, role_name_key)
);

-- Transactional outbox: written in the same transaction as the change it describes, relayed to
-- Kafka in order, marked once the broker has acknowledged it.
CREATE TABLE outbox (
    seq          BIGSERIAL    PRIMARY KEY,
    event_id     UUID         NOT NULL UNIQUE,
    topic        VARCHAR(255) NOT NULL,
    record_key   VARCHAR(700) NOT NULL,
    payload      BYTEA        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
