-- Instances and operation inputs.
ALTER TABLE operations ADD COLUMN input TEXT;
CREATE INDEX operations_state ON operations (state);

CREATE TABLE instances (
    name                   VARCHAR(63) PRIMARY KEY,
    engine                 VARCHAR(32) NOT NULL,
    version                VARCHAR(32) NOT NULL,
    instance_class         VARCHAR(16) NOT NULL,
    storage_gib            INTEGER NOT NULL,
    max_storage_gib        INTEGER NOT NULL,
    port                   INTEGER NOT NULL UNIQUE,
    public_access          INTEGER NOT NULL,
    stack                  VARCHAR(63),
    stage                  VARCHAR(63),
    database_name          VARCHAR(63),
    master_user            VARCHAR(63) NOT NULL,
    security_groups        TEXT NOT NULL,
    backup_retention_days  INTEGER NOT NULL,
    backup_window          VARCHAR(16),
    deletion_protection    INTEGER NOT NULL,
    params                 TEXT NOT NULL,
    tls                    VARCHAR(16) NOT NULL,
    status                 VARCHAR(16) NOT NULL,
    pending                TEXT NOT NULL,
    last_error             TEXT,
    storage_used_bytes     BIGINT NOT NULL,
    master_password_sealed TEXT NOT NULL,
    admin_secret_sealed    TEXT,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    FOREIGN KEY (stack, stage) REFERENCES stages (stack, name)
);
