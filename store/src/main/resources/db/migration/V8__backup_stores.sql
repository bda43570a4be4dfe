-- Backup stores (a directory or an S3-compatible bucket; an S3 secret key lives in the secret store), which store each
-- backup is in, its manifest checksum and last restore drill, and each instance's backup store and drill schedule.
CREATE TABLE backup_stores (
    name         VARCHAR(63) PRIMARY KEY,
    type         VARCHAR(20) NOT NULL,
    location     TEXT NOT NULL,
    bucket       VARCHAR(63),
    region       VARCHAR(63),
    prefix       VARCHAR(255),
    access_key   VARCHAR(255),
    path_style   INTEGER NOT NULL,
    created_at   BIGINT NOT NULL
);
ALTER TABLE backups ADD COLUMN store VARCHAR(63) NOT NULL DEFAULT 'default';
ALTER TABLE backups ADD COLUMN manifest_sha256 VARCHAR(64);
ALTER TABLE backups ADD COLUMN drill_status VARCHAR(20);
ALTER TABLE backups ADD COLUMN drill_at BIGINT;
ALTER TABLE backups ADD COLUMN drill_millis BIGINT;
ALTER TABLE backups ADD COLUMN drill_detail TEXT;
CREATE TABLE backup_policies (
    instance     VARCHAR(63) PRIMARY KEY,
    store        VARCHAR(63) NOT NULL,
    drill        VARCHAR(20) NOT NULL
);
