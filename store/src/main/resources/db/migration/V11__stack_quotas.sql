-- What a stack may use (instances, allocated storage, concurrent operations); a stack without a row has the defaults.
CREATE TABLE stack_quotas (
    stack           VARCHAR(63) PRIMARY KEY REFERENCES stacks (name) ON DELETE CASCADE,
    max_instances   INTEGER NOT NULL,
    max_storage_gib INTEGER NOT NULL,
    max_operations  INTEGER NOT NULL
);
