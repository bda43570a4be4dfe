-- Backups: the archive is in a store; its data key is sealed under the master key here.
CREATE TABLE backups (
    id              VARCHAR(40) PRIMARY KEY,
    instance        VARCHAR(63) NOT NULL,
    engine          VARCHAR(20) NOT NULL,
    version         VARCHAR(20) NOT NULL,
    kind            VARCHAR(20) NOT NULL,
    status          VARCHAR(20) NOT NULL,
    stack           VARCHAR(63),
    stage           VARCHAR(63),
    database_name   VARCHAR(128) NOT NULL,
    master_user     VARCHAR(128) NOT NULL,
    key_id          VARCHAR(80) NOT NULL,
    wrapped_key     TEXT NOT NULL,
    sealed_data_key TEXT NOT NULL,
    sha256          VARCHAR(64),
    chunks          BIGINT NOT NULL,
    dump_bytes      BIGINT NOT NULL,
    stored_bytes    BIGINT NOT NULL,
    error           TEXT,
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
CREATE INDEX backups_instance ON backups (instance, created_at);
