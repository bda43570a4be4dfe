package io.stratum.core.model;

import io.stratum.core.auth.Role;
import java.time.Instant;
import java.util.Set;

/** A bearer token's metadata. The secret itself is never kept; only its hash is stored. */
public record ApiToken(String id, String name, Role role, Set<String> stacks, Instant createdAt, Instant revokedAt) {
    public ApiToken {
        stacks = Set.copyOf(stacks);
    }

    public boolean active() {
        return revokedAt == null;
    }
}
