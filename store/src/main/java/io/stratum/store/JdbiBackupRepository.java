package io.stratum.store;

import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.backup.Drill;
import io.stratum.core.port.BackupRepository;
import io.stratum.core.secret.SealedValue;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiBackupRepository implements BackupRepository {
    private final Handle h;

    JdbiBackupRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(Backup b) {
        return h.createUpdate("INSERT INTO backups (id, instance, engine, version, external, kind, status, stack, stage, database_name, master_user, "
                        + "key_id, wrapped_key, sealed_data_key, sha256, chunks, dump_bytes, stored_bytes, error, created_at, completed_at, store, taken_from) VALUES "
                        + "(:id, :instance, :engine, :version, :external, :kind, :status, :stack, :stage, :db, :user, :keyId, :wrapped, :sealed, :sha, "
                        + ":chunks, :dump, :stored, :error, :created, :completed, :store, :takenFrom) ON CONFLICT DO NOTHING")
                .bind("store", b.store()).bind("takenFrom", b.origin().takenFrom())
                .bind("id", b.id()).bind("instance", b.instance()).bind("engine", b.engine()).bind("version", b.version())
                .bind("external", b.origin().external() ? 1 : 0)
                .bind("kind", b.kind()).bind("status", b.status().wireName()).bind("stack", b.stack()).bind("stage", b.stage())
                .bind("db", b.database()).bind("user", b.masterUser()).bind("keyId", b.dataKey().keyId())
                .bind("wrapped", b64(b.dataKey().wrappedKey())).bind("sealed", b64(b.dataKey().ciphertext())).bind("sha", b.sha256())
                .bind("chunks", b.chunks()).bind("dump", b.dumpBytes()).bind("stored", b.storedBytes()).bind("error", b.error())
                .bind("created", b.createdAt().toEpochMilli()).bind("completed", b.completedAt() == null ? null : b.completedAt().toEpochMilli())
                .execute() == 1;
    }

    @Override
    public Optional<Backup> find(String id) {
        return h.createQuery("SELECT * FROM backups WHERE id = :id").bind("id", id).map((rs, c) -> row(rs)).findOne();
    }

    @Override
    public List<Backup> list(String instance) {
        var q = h.createQuery("SELECT * FROM backups" + (instance == null ? "" : " WHERE instance = :i") + " ORDER BY created_at DESC, id");
        if (instance != null) q.bind("i", instance);
        return q.map((rs, c) -> row(rs)).list();
    }

    @Override
    public int detachStack(String stack) {
        return h.createUpdate("UPDATE backups SET stack = NULL, stage = NULL WHERE stack = :stack").bind("stack", stack).execute();
    }

    @Override
    public void update(Backup b) {
        h.createUpdate("UPDATE backups SET status = :status, key_id = :keyId, wrapped_key = :wrapped, sealed_data_key = :sealed, "
                        + "sha256 = :sha, chunks = :chunks, dump_bytes = :dump, stored_bytes = :stored, error = :error, "
                        + "completed_at = :completed, manifest_sha256 = :manifestSha, drill_status = :drillStatus, drill_at = :drillAt, "
                        + "drill_millis = :drillMillis, drill_detail = :drillDetail WHERE id = :id")
                .bind("manifestSha", b.manifestSha256()).bind("drillStatus", b.drill() == null ? null : b.drill().status().name())
                .bind("drillAt", b.drill() == null ? null : b.drill().at().toEpochMilli())
                .bind("drillMillis", b.drill() == null ? null : b.drill().millis()).bind("drillDetail", b.drill() == null ? null : b.drill().detail())
                .bind("id", b.id()).bind("status", b.status().wireName()).bind("keyId", b.dataKey().keyId())
                .bind("wrapped", b64(b.dataKey().wrappedKey())).bind("sealed", b64(b.dataKey().ciphertext())).bind("sha", b.sha256())
                .bind("chunks", b.chunks()).bind("dump", b.dumpBytes()).bind("stored", b.storedBytes()).bind("error", b.error())
                .bind("completed", b.completedAt() == null ? null : b.completedAt().toEpochMilli()).execute();
    }

    @Override
    public boolean delete(String id) {
        return h.createUpdate("DELETE FROM backups WHERE id = :id").bind("id", id).execute() == 1;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static Backup row(ResultSet rs) throws SQLException {
        long completed = rs.getLong("completed_at");
        Instant completedAt = rs.wasNull() ? null : Instant.ofEpochMilli(completed);
        SealedValue key = new SealedValue(rs.getString("key_id"), Base64.getDecoder().decode(rs.getString("wrapped_key")),
                Base64.getDecoder().decode(rs.getString("sealed_data_key")));
        String drillStatus = rs.getString("drill_status");
        Drill drill = drillStatus == null ? null : new Drill(Drill.Status.valueOf(drillStatus), Instant.ofEpochMilli(rs.getLong("drill_at")),
                rs.getLong("drill_millis"), rs.getString("drill_detail"));
        Backup.Origin origin = new Backup.Origin(rs.getString("instance"), rs.getString("engine"), rs.getString("version"),
                rs.getInt("external") == 1, rs.getString("stack"), rs.getString("stage"), rs.getString("database_name"),
                rs.getString("master_user"), rs.getString("taken_from"));
        Backup.Archive archive = new Backup.Archive(rs.getString("sha256"), rs.getString("manifest_sha256"), rs.getLong("chunks"),
                rs.getLong("dump_bytes"), rs.getLong("stored_bytes"));
        return new Backup(rs.getString("id"), origin, rs.getString("kind"), BackupStatus.fromWire(rs.getString("status")),
                rs.getString("store"), key, archive, rs.getString("error"), Instant.ofEpochMilli(rs.getLong("created_at")), completedAt, drill);
    }
}
