package io.stratum.store;

import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.port.InstanceRepository;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

final class JdbiInstanceRepository implements InstanceRepository {
    private static final String COLUMNS = "name, engine, version, instance_class, storage_gib, max_storage_gib, port, "
            + "public_access, stack, stage, database_name, master_user, security_groups, backup_retention_days, backup_window, "
            + "deletion_protection, params, tls, status, pending, last_error, storage_used_bytes, storage_full, created_at, updated_at, source_instance";
    private static final String VALUES = ":name, :engine, :version, :class, :storage, :maxStorage, :port, :public, :stack, "
            + ":stage, :database, :masterUser, :groups, :retention, :window, :protection, :params, :tls, :status, :pending, "
            + ":lastError, :used, :storageFull, :created, :updated, :source";
    private static final RowMapper<Instance> MAPPER = (rs, ctx) -> {
        InstanceSpec spec = InstanceSpec.builder(rs.getString("name"), rs.getString("engine")).version(rs.getString("version"))
                .instanceClass(InstanceClass.valueOf(rs.getString("instance_class")))
                .storage(rs.getInt("storage_gib"), rs.getInt("max_storage_gib")).port(rs.getInt("port"))
                .publicAccess(rs.getInt("public_access") == 1).stage(rs.getString("stack"), rs.getString("stage"))
                .database(rs.getString("database_name")).masterUser(rs.getString("master_user"))
                .securityGroups(TextMaps.decodeList(rs.getString("security_groups")))
                .backupPolicy(rs.getInt("backup_retention_days"), rs.getString("backup_window"))
                .deletionProtection(rs.getInt("deletion_protection") == 1).params(TextMaps.decode(rs.getString("params")))
                .tls(rs.getString("tls")).source(rs.getString("source_instance")).build();
        return new Instance(spec, InstanceStatus.valueOf(rs.getString("status")), TextMaps.decode(rs.getString("pending")),
                rs.getString("last_error"), rs.getLong("storage_used_bytes"), rs.getInt("storage_full") == 1, Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    };
    private final Handle h;

    JdbiInstanceRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(Instance i) {
        return bind(h.createUpdate("INSERT INTO instances (" + COLUMNS + ", master_password_sealed) VALUES (" + VALUES + ", '') ON CONFLICT (name) DO NOTHING"), i)
                .execute() == 1;
    }

    @Override
    public Optional<Instance> find(String name) {
        return h.createQuery("SELECT * FROM instances WHERE name = :name").bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public List<Instance> list() {
        return h.createQuery("SELECT * FROM instances ORDER BY name").map(MAPPER).list();
    }

    @Override
    public void update(Instance i) {
        bind(h.createUpdate("UPDATE instances SET (" + COLUMNS + ") = (" + VALUES + ") WHERE name = :name"), i).execute();
    }

    @Override
    public boolean delete(String name) {
        return h.createUpdate("DELETE FROM instances WHERE name = :name").bind("name", name).execute() == 1;
    }

    @Override
    public Map<String, List<String>> legacySealedCredentials() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        h.createQuery("SELECT name, master_password_sealed, admin_secret_sealed FROM instances WHERE master_password_sealed <> ''")
                .map((rs, ctx) -> Map.entry(rs.getString(1), java.util.Arrays.asList(rs.getString(2), rs.getString(3))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void clearLegacySealedCredentials(String name) {
        h.createUpdate("UPDATE instances SET master_password_sealed = '', admin_secret_sealed = NULL WHERE name = :name")
                .bind("name", name).execute();
    }

    @Override
    public List<Instance> replicasOf(String source) {
        return h.createQuery("SELECT * FROM instances WHERE source_instance = :source ORDER BY name").bind("source", source).map(MAPPER)
                .list();
    }

    @Override
    public Set<Integer> usedPorts() {
        return new HashSet<>(h.createQuery("SELECT port FROM instances").mapTo(Integer.class).list());
    }

    @Override
    public int countByStage(String stack, String stage) {
        return h.createQuery("SELECT COUNT(*) FROM instances WHERE stack = :stack AND stage = :stage")
                .bind("stack", stack).bind("stage", stage).mapTo(Integer.class).one();
    }

    private static Update bind(Update u, Instance i) {
        InstanceSpec s = i.spec();
        return u.bind("name", s.name()).bind("engine", s.engine()).bind("version", s.version())
                .bind("class", s.instanceClass().name()).bind("storage", s.storageGiB()).bind("maxStorage", s.maxStorageGiB())
                .bind("port", s.port()).bind("public", s.publicAccess() ? 1 : 0).bind("stack", s.stack()).bind("stage", s.stage())
                .bind("database", s.database()).bind("masterUser", s.masterUser())
                .bind("groups", TextMaps.encodeList(s.securityGroups())).bind("retention", s.backupRetentionDays())
                .bind("window", s.backupWindow()).bind("protection", s.deletionProtection() ? 1 : 0)
                .bind("params", TextMaps.encode(s.params())).bind("tls", s.tls()).bind("status", i.status().name())
                .bind("pending", TextMaps.encode(i.pending())).bind("lastError", i.lastError())
                .bind("used", i.storageUsedBytes()).bind("storageFull", i.storageFull() ? 1 : 0).bind("created", i.createdAt().toEpochMilli())
                .bind("updated", i.updatedAt().toEpochMilli()).bind("source", s.source());
    }
}
