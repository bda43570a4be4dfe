package io.stratum.store;

import io.stratum.core.model.Stack;
import io.stratum.core.port.StackRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiStackRepository implements StackRepository {
    private static final RowMapper<Stack> MAPPER = (rs, ctx) ->
            new Stack(rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")));
    private final Handle h;

    JdbiStackRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(Stack stack) {
        return h.createUpdate("INSERT INTO stacks (name, created_at) VALUES (:name, :at) ON CONFLICT DO NOTHING")
                .bind("name", stack.name()).bind("at", stack.createdAt().toEpochMilli()).execute() == 1;
    }

    @Override
    public Optional<Stack> find(String name) {
        return h.createQuery("SELECT * FROM stacks WHERE name = :name").bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<Stack> list() {
        return h.createQuery("SELECT * FROM stacks ORDER BY name").map(MAPPER).list();
    }

    @Override
    public boolean delete(String name) {
        return h.createUpdate("DELETE FROM stacks WHERE name = :name").bind("name", name).execute() == 1;
    }
}
