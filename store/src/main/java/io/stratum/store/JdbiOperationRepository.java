package io.stratum.store;

import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.model.OperationState;
import io.stratum.core.model.OperationType;
import io.stratum.core.port.OperationRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

final class JdbiOperationRepository implements OperationRepository {
    private static final RowMapper<Operation> MAPPER = (rs, ctx) -> {
        OperationType type = OperationType.fromWire(rs.getString("type"));
        int position = rs.getInt("step_position");
        return new Operation(rs.getString("id"), OperationInput.decode(type, TextMaps.decode(rs.getString("input"))),
                rs.getString("resource"), rs.getString("stack"), OperationState.valueOf(rs.getString("state")), rs.getString("step"),
                rs.wasNull() ? Operation.NOT_STARTED : position, rs.getDouble("progress"), rs.getString("error"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")), rs.getString("detail"));
    };
    private final Handle h;

    JdbiOperationRepository(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(Operation op) {
        bind(h.createUpdate("""
                INSERT INTO operations (id, type, resource, stack, state, step, step_position, progress, error, input, created_at, updated_at)
                VALUES (:id, :type, :resource, :stack, :state, :step, :position, :progress, :error, :input, :created, :updated)"""), op)
                .execute();
    }

    @Override
    public void update(Operation op) {
        bind(h.createUpdate("""
                UPDATE operations SET state = :state, step = :step, step_position = :position, progress = :progress, error = :error,
                updated_at = :updated, detail = :detail WHERE id = :id"""), op).execute();
    }

    private static Update bind(Update u, Operation op) {
        return u.bind("id", op.id()).bind("type", op.type().wireName()).bind("resource", op.resource()).bind("stack", op.stack())
                .bind("state", op.state().name()).bind("step", op.step()).bind("position", op.position()).bind("progress", op.progress())
                .bind("error", op.error()).bind("input", TextMaps.encode(op.input().encode())).bind("created", op.createdAt().toEpochMilli())
                .bind("updated", op.updatedAt().toEpochMilli()).bind("detail", op.detail());
    }

    @Override
    public Optional<Operation> find(String id) {
        return h.createQuery("SELECT * FROM operations WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<Operation> listUnfinished() {
        return h.createQuery("SELECT * FROM operations WHERE state IN ('PENDING', 'RUNNING') ORDER BY created_at, id")
                .map(MAPPER).list();
    }

    @Override
    public List<Operation> listRecent(int limit) {
        return h.createQuery("SELECT * FROM operations ORDER BY created_at DESC, id LIMIT :limit")
                .bind("limit", limit).map(MAPPER).list();
    }
}
