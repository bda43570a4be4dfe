package io.stratum.store;

import io.stratum.core.auth.Role;
import io.stratum.core.model.ApiToken;
import io.stratum.core.port.TokenRepository;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiTokenRepository implements TokenRepository {
    private static final RowMapper<ApiToken> MAPPER = (rs, ctx) -> {
        long revoked = rs.getLong("revoked_at");
        boolean wasNull = rs.wasNull();
        String stacks = rs.getString("stacks");
        return new ApiToken(rs.getString("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                stacks.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(stacks.split(","))),
                Instant.ofEpochMilli(rs.getLong("created_at")), wasNull ? null : Instant.ofEpochMilli(revoked));
    };
    private final Handle h;

    JdbiTokenRepository(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(ApiToken t, String hash) {
        h.createUpdate("""
                        INSERT INTO tokens (id, name, role, stacks, token_hash, created_at)
                        VALUES (:id, :name, :role, :stacks, :hash, :at)""")
                .bind("id", t.id()).bind("name", t.name()).bind("role", t.role().name())
                .bind("stacks", t.stacks().stream().sorted().collect(Collectors.joining(",")))
                .bind("hash", hash).bind("at", t.createdAt().toEpochMilli()).execute();
    }

    @Override
    public Optional<ApiToken> findActiveByHash(String hash) {
        return h.createQuery("SELECT * FROM tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash).map(MAPPER).findOne();
    }

    @Override
    public Optional<ApiToken> find(String id) {
        return h.createQuery("SELECT * FROM tokens WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<ApiToken> list() {
        return h.createQuery("SELECT * FROM tokens ORDER BY created_at, id").map(MAPPER).list();
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return h.createUpdate("UPDATE tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).bind("at", at.toEpochMilli()).execute() == 1;
    }

    @Override
    public boolean anyActiveAdmin() {
        return h.createQuery("SELECT COUNT(*) FROM tokens WHERE role = 'ADMIN' AND revoked_at IS NULL")
                .mapTo(Integer.class).one() > 0;
    }
}
