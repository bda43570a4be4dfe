package io.stratum.store;

import io.stratum.core.port.ManagedUserRepository;
import io.stratum.core.user.ManagedUser;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiManagedUserRepository implements ManagedUserRepository {
    private final Handle h;

    JdbiManagedUserRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(ManagedUser u) {
        return h.createUpdate("INSERT INTO managed_users (instance, name, database_name, access, key_pattern, created_at) "
                        + "VALUES (:instance, :name, :db, :access, :keys, :created) ON CONFLICT DO NOTHING")
                .bind("instance", u.instance()).bind("name", u.name()).bind("db", u.database()).bind("access", u.access().wireName())
                .bind("keys", u.keyPattern()).bind("created", u.createdAt().toEpochMilli()).execute() == 1;
    }

    @Override
    public Optional<ManagedUser> find(String instance, String name) {
        return h.createQuery("SELECT * FROM managed_users WHERE instance = :instance AND name = :name").bind("instance", instance)
                .bind("name", name).map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public List<ManagedUser> list(String instance) {
        return h.createQuery("SELECT * FROM managed_users WHERE instance = :instance ORDER BY name").bind("instance", instance)
                .map((rs, ctx) -> row(rs)).list();
    }

    @Override
    public void delete(String instance, String name) {
        h.createUpdate("DELETE FROM managed_users WHERE instance = :instance AND name = :name").bind("instance", instance)
                .bind("name", name).execute();
    }

    private static ManagedUser row(ResultSet rs) throws SQLException {
        return new ManagedUser(rs.getString("instance"), rs.getString("name"), rs.getString("database_name"),
                ManagedUser.Access.parse(rs.getString("access")), rs.getString("key_pattern"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
