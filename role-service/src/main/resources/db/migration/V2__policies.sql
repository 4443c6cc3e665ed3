-- Inline policies, managed policies with their versions, attachments and permissions boundaries.
--
-- Names and ARNs that lists are ordered by compare byte-wise (COLLATE "C"): IAM names and ARNs are
-- ASCII, so this is the order of Java's String.compareTo, which page tokens rely on, whatever
-- collation the database was created with.
ALTER TABLE roles ALTER COLUMN role_name_key TYPE VARCHAR(64) COLLATE "C";
CREATE INDEX roles_by_boundary ON roles (permissions_boundary) WHERE permissions_boundary IS NOT NULL;

-- Inline permission policies of a role. The role's revision guards every change of them
-- (optimistic locking); the foreign key keeps a role with inline policies from being deleted.
CREATE TABLE role_policies (
    role_id     VARCHAR(21)  NOT NULL REFERENCES roles (role_id),
    policy_name VARCHAR(128) COLLATE "C" NOT NULL,
    document    TEXT         NOT NULL,
    PRIMARY KEY (role_id, policy_name)
);

-- Managed policies attached to a role: customer-managed (a row of managed_policies) or AWS-managed
-- (arn:<partition>:iam::aws:policy/..., from the catalogue every service ships), hence by ARN.
CREATE TABLE role_attached_policies (
    role_id     VARCHAR(21)  NOT NULL REFERENCES roles (role_id),
    policy_arn  VARCHAR(700) COLLATE "C" NOT NULL,
    attached_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (role_id, policy_arn)
);
CREATE INDEX role_attached_policies_by_policy ON role_attached_policies (policy_arn);

-- Customer-managed policies. A name is unique per account ignoring case, as in IAM. Version ids
-- are never reused: next_version only grows.
CREATE TABLE managed_policies (
    policy_id       VARCHAR(21)   PRIMARY KEY,
    account_id      VARCHAR(12)   NOT NULL,
    policy_name     VARCHAR(128)  NOT NULL,
    policy_name_key VARCHAR(128)  COLLATE "C" NOT NULL,
    path            VARCHAR(512)  NOT NULL,
    arn             VARCHAR(700)  COLLATE "C" NOT NULL,
    description     VARCHAR(1000) NOT NULL DEFAULT '',
    default_version INTEGER       NOT NULL,
    next_version    INTEGER       NOT NULL,
    tags            TEXT          NOT NULL DEFAULT '[]',
    revision        BIGINT        NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL,
    CONSTRAINT managed_policies_name_unique UNIQUE (account_id, policy_name_key),
    CONSTRAINT managed_policies_arn_unique UNIQUE (arn)
);

CREATE TABLE policy_versions (
    policy_id  VARCHAR(21) NOT NULL REFERENCES managed_policies (policy_id) ON DELETE CASCADE,
    version    INTEGER     NOT NULL,
    document   TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (policy_id, version)
);

-- A record without a value (a tombstone) deletes its key from the compacted permission-state topic.
ALTER TABLE outbox ALTER COLUMN payload DROP NOT NULL;
