package io.stratum.store;

import io.stratum.core.model.Event;
import io.stratum.core.port.EventRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiEventRepository implements EventRepository {
    private static final RowMapper<Event> MAPPER = (rs, ctx) -> new Event(rs.getLong("id"),
            Instant.ofEpochMilli(rs.getLong("occurred_at")), rs.getString("actor"), rs.getString("resource"),
            rs.getString("stack"), rs.getString("action"), rs.getString("detail"));
    private final Handle h;

    JdbiEventRepository(Handle h) {
        this.h = h;
    }

    @Override
    public Event append(Instant time, String actor, String resource, String stack, String action, String detail) {
        long id = h.createUpdate("""
                        INSERT INTO events (occurred_at, actor, resource, stack, action, detail)
                        VALUES (:at, :actor, :resource, :stack, :action, :detail)""")
                .bind("at", time.toEpochMilli()).bind("actor", actor).bind("resource", resource).bind("stack", stack)
                .bind("action", action).bind("detail", detail)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Event(id, Instant.ofEpochMilli(time.toEpochMilli()), actor, resource, stack, action, detail);
    }

    @Override
    public List<Event> listAfter(long afterId, int limit) {
        return h.createQuery("SELECT * FROM events WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map(MAPPER).list();
    }

    @Override
    public List<Event> listLatest(int limit) {
        List<Event> newestFirst = new ArrayList<>(h.createQuery("SELECT * FROM events ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit).map(MAPPER).list());
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
