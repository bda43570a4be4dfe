package io.stratum.store;

import io.stratum.core.backup.BackupPolicy;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.backup.DrillSchedule;
import io.stratum.core.port.BackupStoreRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiBackupStoreRepository implements BackupStoreRepository {
    private final Handle h;

    JdbiBackupStoreRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(BackupStore s) {
        return h.createUpdate("INSERT INTO backup_stores (name, type, location, bucket, region, prefix, access_key, path_style, created_at) "
                        + "VALUES (:name, :type, :location, :bucket, :region, :prefix, :accessKey, :pathStyle, :at) ON CONFLICT DO NOTHING")
                .bind("name", s.name()).bind("type", s.type().name()).bind("location", s.location()).bind("bucket", s.bucket())
                .bind("region", s.region()).bind("prefix", s.prefix()).bind("accessKey", s.accessKey()).bind("pathStyle", s.pathStyle() ? 1 : 0)
                .bind("at", s.createdAt().toEpochMilli()).execute() == 1;
    }

    @Override
    public Optional<BackupStore> find(String name) {
        return h.createQuery("SELECT * FROM backup_stores WHERE name = :name").bind("name", name).map((rs, c) -> row(rs)).findOne();
    }

    @Override
    public List<BackupStore> list() {
        return h.createQuery("SELECT * FROM backup_stores ORDER BY name").map((rs, c) -> row(rs)).list();
    }

    @Override
    public boolean delete(String name) {
        return h.createUpdate("DELETE FROM backup_stores WHERE name = :name").bind("name", name).execute() == 1;
    }

    @Override
    public Optional<BackupPolicy> policy(String instance) {
        return h.createQuery("SELECT * FROM backup_policies WHERE instance = :i").bind("i", instance)
                .map((rs, c) -> new BackupPolicy(rs.getString("instance"), rs.getString("store"),
                        DrillSchedule.fromWire(rs.getString("drill")).orElse(DrillSchedule.OFF))).findOne();
    }

    @Override
    public void savePolicy(BackupPolicy p) {
        h.createUpdate("DELETE FROM backup_policies WHERE instance = :i").bind("i", p.instance()).execute();
        h.createUpdate("INSERT INTO backup_policies (instance, store, drill) VALUES (:i, :store, :drill)").bind("i", p.instance())
                .bind("store", p.store()).bind("drill", p.drill().wireName()).execute();
    }

    @Override
    public void deletePolicy(String instance) {
        h.createUpdate("DELETE FROM backup_policies WHERE instance = :i").bind("i", instance).execute();
    }

    @Override
    public List<String> instancesUsing(String store) {
        return h.createQuery("SELECT instance FROM backup_policies WHERE store = :s ORDER BY instance").bind("s", store).mapTo(String.class).list();
    }

    private static BackupStore row(ResultSet rs) throws SQLException {
        return new BackupStore(rs.getString("name"), BackupStore.Type.valueOf(rs.getString("type")), rs.getString("location"),
                rs.getString("bucket"), rs.getString("region"), rs.getString("prefix"), rs.getString("access_key"),
                rs.getInt("path_style") == 1, Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
