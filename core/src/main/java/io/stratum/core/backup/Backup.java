package io.stratum.core.backup;

import io.stratum.core.secret.SealedValue;
import java.time.Instant;

/**
 * One backup of an instance: the store its archive and manifest are in, the archive's data key sealed under the master
 * key, and what the archive and manifest must look like when read back (SHA-256s, chunks, sizes). {@code kind} is
 * {@code automated} (pruned after the retention), {@code manual} (kept until deleted), {@code final} (taken by
 * {@code db delete}) or {@code pre-restore} (taken before a restore replaces an instance's data).
 */
public record Backup(String id, String instance, String engine, String version, String kind, BackupStatus status, String stack,
                     String stage, String database, String masterUser, String store, SealedValue dataKey, String sha256,
                     String manifestSha256, long chunks, long dumpBytes, long storedBytes, String error, Instant createdAt,
                     Instant completedAt, Drill drill) {

    public Backup completed(String sha, String manifestSha, long chunkCount, long dump, long stored, Instant at) {
        return new Backup(id, instance, engine, version, kind, BackupStatus.AVAILABLE, stack, stage, database, masterUser, store, dataKey,
                sha, manifestSha, chunkCount, dump, stored, null, createdAt, at, drill);
    }

    public Backup failed(String why, Instant at) {
        return new Backup(id, instance, engine, version, kind, BackupStatus.FAILED, stack, stage, database, masterUser, store, dataKey,
                sha256, manifestSha256, chunks, dumpBytes, storedBytes, why, createdAt, at, drill);
    }

    /** An automated backup that never ran: failed, dated at the start of the window it should have run in. */
    public Backup missed(String why, Instant windowStart, Instant now) {
        return new Backup(id, instance, engine, version, kind, BackupStatus.FAILED, stack, stage, database, masterUser, store, dataKey,
                null, null, 0, 0, 0, why, windowStart, now, null);
    }

    public Backup withDataKey(SealedValue key) {
        return new Backup(id, instance, engine, version, kind, status, stack, stage, database, masterUser, store, key, sha256,
                manifestSha256, chunks, dumpBytes, storedBytes, error, createdAt, completedAt, drill);
    }

    public Backup withDrill(Drill d) {
        return new Backup(id, instance, engine, version, kind, status, stack, stage, database, masterUser, store, dataKey, sha256,
                manifestSha256, chunks, dumpBytes, storedBytes, error, createdAt, completedAt, d);
    }

    /** The associated data the data key is sealed with: it belongs to this backup only. */
    public String keyContext() {
        return "backup:" + id;
    }
}
