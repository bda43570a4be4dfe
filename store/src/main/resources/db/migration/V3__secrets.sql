-- Versioned secrets under envelope encryption. Values are never stored in plaintext: each version holds its
-- ciphertext (AES-256-GCM under its own data key) and that data key wrapped by the master key (key_id says which).
CREATE TABLE secrets (
    name             VARCHAR(255) PRIMARY KEY,
    tags             TEXT NOT NULL,
    managed          INTEGER NOT NULL,
    current_version  INTEGER NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE TABLE secret_versions (
    name         VARCHAR(255) NOT NULL REFERENCES secrets (name) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    key_id       VARCHAR(64) NOT NULL,
    wrapped_key  TEXT NOT NULL,
    ciphertext   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (name, version)
);
