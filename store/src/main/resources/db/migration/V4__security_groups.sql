-- Security groups and their ingress rules (port 0 = the instance's own port).
CREATE TABLE security_groups (
    name         VARCHAR(63) PRIMARY KEY,
    description  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE security_group_rules (
    group_name  VARCHAR(63) NOT NULL REFERENCES security_groups (name) ON DELETE CASCADE,
    cidr        VARCHAR(64) NOT NULL,
    port        INTEGER NOT NULL,
    PRIMARY KEY (group_name, cidr, port)
);
