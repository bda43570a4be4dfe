-- Foundation schema. Portable between SQLite and PostgreSQL; ${event_id} differs per database.
-- Times are epoch milliseconds (UTC).
CREATE TABLE stacks (
    name        VARCHAR(63) PRIMARY KEY,
    created_at  BIGINT NOT NULL
);

CREATE TABLE stages (
    stack       VARCHAR(63) NOT NULL REFERENCES stacks(name),
    name        VARCHAR(63) NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (stack, name)
);

CREATE TABLE operations (
    id          VARCHAR(40) PRIMARY KEY,
    type        VARCHAR(64) NOT NULL,
    resource    VARCHAR(200) NOT NULL,
    stack       VARCHAR(63),
    state       VARCHAR(16) NOT NULL,
    step        VARCHAR(64),
    progress    DOUBLE PRECISION NOT NULL,
    error       TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX operations_created ON operations (created_at);

CREATE TABLE events (
    id          ${event_id},
    occurred_at BIGINT NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    resource    VARCHAR(300) NOT NULL,
    stack       VARCHAR(63),
    action      VARCHAR(64) NOT NULL,
    detail      TEXT
);

CREATE TABLE tokens (
    id          VARCHAR(40) PRIMARY KEY,
    name        VARCHAR(63) NOT NULL,
    role        VARCHAR(16) NOT NULL,
    stacks      TEXT NOT NULL,
    token_hash  VARCHAR(64) NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE idempotency_keys (
    token_id     VARCHAR(40) NOT NULL,
    idem_key     VARCHAR(255) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    status       INTEGER NOT NULL,
    location     TEXT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
