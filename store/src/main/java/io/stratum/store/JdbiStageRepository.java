package io.stratum.store;

import io.stratum.core.model.Stage;
import io.stratum.core.port.StageRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiStageRepository implements StageRepository {
    private static final RowMapper<Stage> MAPPER = (rs, ctx) ->
            new Stage(rs.getString("stack"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")));
    private final Handle h;

    JdbiStageRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(Stage stage) {
        return h.createUpdate("INSERT INTO stages (stack, name, created_at) VALUES (:stack, :name, :at) ON CONFLICT DO NOTHING")
                .bind("stack", stage.stack()).bind("name", stage.name()).bind("at", stage.createdAt().toEpochMilli())
                .execute() == 1;
    }

    @Override
    public Optional<Stage> find(String stack, String name) {
        return h.createQuery("SELECT * FROM stages WHERE stack = :stack AND name = :name")
                .bind("stack", stack).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<Stage> listByStack(String stack) {
        return h.createQuery("SELECT * FROM stages WHERE stack = :stack ORDER BY name").bind("stack", stack).map(MAPPER).list();
    }

    @Override
    public List<Stage> listAll() {
        return h.createQuery("SELECT * FROM stages ORDER BY stack, name").map(MAPPER).list();
    }

    @Override
    public boolean delete(String stack, String name) {
        return h.createUpdate("DELETE FROM stages WHERE stack = :stack AND name = :name")
                .bind("stack", stack).bind("name", name).execute() == 1;
    }
}
