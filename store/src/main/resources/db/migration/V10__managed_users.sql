-- Database users Stratum manages for an instance (db user create); passwords live in the secret store.
CREATE TABLE managed_users (
    instance      VARCHAR(63) NOT NULL,
    name          VARCHAR(63) NOT NULL,
    database_name VARCHAR(63),
    access        VARCHAR(10) NOT NULL,
    key_pattern   VARCHAR(200),
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (instance, name)
);
