-- Databases Stratum connects to but does not run; credentials and SSH keys are in the secret store.
CREATE TABLE external_instances (
    name                 VARCHAR(63) PRIMARY KEY,
    engine               VARCHAR(20) NOT NULL,
    host                 VARCHAR(255) NOT NULL,
    port                 INTEGER NOT NULL,
    username             VARCHAR(128) NOT NULL,
    database_name        VARCHAR(128) NOT NULL,
    stack                VARCHAR(63),
    stage                VARCHAR(63),
    tls                  VARCHAR(10) NOT NULL,
    ssh_host             VARCHAR(255),
    ssh_port             INTEGER,
    ssh_user             VARCHAR(128),
    ssh_host_key         TEXT,
    tunnel_port          INTEGER NOT NULL,
    contract_via_tunnel  INTEGER NOT NULL,
    status               VARCHAR(20) NOT NULL,
    last_error           TEXT,
    checked_at           BIGINT,
    created_at           BIGINT NOT NULL
);
