package io.stratum.core.backup;

import io.stratum.core.secret.SealedValue;
import java.time.Instant;

/**
 * One backup of an instance: what it was taken of ({@link Origin}), the store its archive and manifest are in, the
 * archive's data key sealed under the master key, and what the archive and manifest must look like when read back
 * ({@link Archive}). {@code kind} is {@code automated} (pruned after the retention), {@code manual} (kept until
 * deleted), {@code final} (taken by {@code db delete}) or {@code pre-restore} (taken before a restore replaces an
 * instance's data).
 */
public record Backup(String id, Origin origin, String kind, BackupStatus status, String store, SealedValue dataKey, Archive archive,
                     String error, Instant createdAt, Instant completedAt, Drill drill) {

    /**
     * The instance as it was when the backup was taken. {@code external}: a database Stratum reaches but does not run;
     * its version, database and master user are the provider's, so a restore takes the engine's defaults instead.
     * {@code takenFrom}: the read replica of the instance the dump was read from, or null (the instance itself).
     */
    public record Origin(String instance, String engine, String version, boolean external, String stack, String stage, String database,
                         String masterUser, String takenFrom) {
        public Origin(String instance, String engine, String version, boolean external, String stack, String stage, String database,
                      String masterUser) {
            this(instance, engine, version, external, stack, stage, database, masterUser, null);
        }

        public static Origin of(io.stratum.core.instance.InstanceSpec s, boolean external) {
            return new Origin(s.name(), s.engine(), s.version(), external, s.stack(), s.stage(), s.database(), s.masterUser());
        }

        /** The same instance's backup, dumped from its read replica {@code replica} (spares the instance the dump's load). */
        public Origin takenFrom(String replica) {
            return new Origin(instance, engine, version, external, stack, stage, database, masterUser, replica);
        }
    }

    /** What the stored archive and its manifest must look like when read back; {@link #NONE} until it is written. */
    public record Archive(String sha256, String manifestSha256, long chunks, long dumpBytes, long storedBytes) {
        public static final Archive NONE = new Archive(null, null, 0, 0, 0);
    }

    /** A backup about to be taken: creating, no key and no archive yet. */
    public static Backup draft(String id, Origin origin, String kind, String store, Instant at) {
        return new Backup(id, origin, kind, BackupStatus.CREATING, store, null, Archive.NONE, null, at, null, null);
    }

    public Backup completed(Archive written, Instant at) {
        return new Backup(id, origin, kind, BackupStatus.AVAILABLE, store, dataKey, written, null, createdAt, at, drill);
    }

    public Backup failed(String why, Instant at) {
        return new Backup(id, origin, kind, BackupStatus.FAILED, store, dataKey, archive, why, createdAt, at, drill);
    }

    /** An automated backup that never ran: failed, dated at the start of the window it should have run in. */
    public Backup missed(String why, Instant windowStart, Instant now) {
        return new Backup(id, origin, kind, BackupStatus.FAILED, store, dataKey, Archive.NONE, why, windowStart, now, null);
    }

    public Backup withDataKey(SealedValue key) {
        return new Backup(id, origin, kind, status, store, key, archive, error, createdAt, completedAt, drill);
    }

    public Backup withDrill(Drill d) {
        return new Backup(id, origin, kind, status, store, dataKey, archive, error, createdAt, completedAt, d);
    }

    /** The associated data the data key is sealed with: it belongs to this backup only. */
    public String keyContext() {
        return "backup:" + id;
    }

    public String instance() {
        return origin.instance();
    }

    public String engine() {
        return origin.engine();
    }

    public String version() {
        return origin.version();
    }

    public String stack() {
        return origin.stack();
    }

    public String stage() {
        return origin.stage();
    }

    public String database() {
        return origin.database();
    }

    public String masterUser() {
        return origin.masterUser();
    }

    public String sha256() {
        return archive.sha256();
    }

    public String manifestSha256() {
        return archive.manifestSha256();
    }

    public long chunks() {
        return archive.chunks();
    }

    public long dumpBytes() {
        return archive.dumpBytes();
    }

    public long storedBytes() {
        return archive.storedBytes();
    }
}
