-- Public keys allowed through the bastion, per stack (the SSH user name is the stack).
CREATE TABLE bastion_keys (
    id           VARCHAR(40) PRIMARY KEY,
    stack        VARCHAR(63) NOT NULL REFERENCES stacks (name) ON DELETE CASCADE,
    key_type     VARCHAR(40) NOT NULL,
    fingerprint  VARCHAR(80) NOT NULL,
    public_key   TEXT NOT NULL,
    comment      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    UNIQUE (stack, fingerprint)
);
