package io.stratum.core.backup;

import io.stratum.core.secret.SealedValue;
import java.time.Instant;

/**
 * One backup of an instance: where its archive is, the archive's data key sealed under the master key, and what the
 * archive must look like when read back (SHA-256, chunks, sizes). {@code kind} is {@code manual} (kept until deleted) or
 * {@code final} (taken by {@code db delete}).
 */
public record Backup(String id, String instance, String engine, String version, String kind, BackupStatus status, String stack,
                     String stage, String database, String masterUser, SealedValue dataKey, String sha256, long chunks,
                     long dumpBytes, long storedBytes, String error, Instant createdAt, Instant completedAt) {

    public Backup completed(String sha, long chunkCount, long dump, long stored, Instant at) {
        return new Backup(id, instance, engine, version, kind, BackupStatus.AVAILABLE, stack, stage, database, masterUser, dataKey, sha,
                chunkCount, dump, stored, null, createdAt, at);
    }

    public Backup failed(String why, Instant at) {
        return new Backup(id, instance, engine, version, kind, BackupStatus.FAILED, stack, stage, database, masterUser, dataKey, sha256,
                chunks, dumpBytes, storedBytes, why, createdAt, at);
    }

    public Backup withDataKey(SealedValue key) {
        return new Backup(id, instance, engine, version, kind, status, stack, stage, database, masterUser, key, sha256, chunks, dumpBytes,
                storedBytes, error, createdAt, completedAt);
    }

    /** The associated data the data key is sealed with: it belongs to this backup only. */
    public String keyContext() {
        return "backup:" + id;
    }
}
