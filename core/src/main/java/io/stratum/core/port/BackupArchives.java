package io.stratum.core.port;

import io.stratum.core.backup.BackupManifest;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.backup.TableStat;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where backup archives and manifests live (a store, by name) and how they are written and read: compressed, encrypted
 * in authenticated chunks bound to the backup's id, checksummed.
 */
public interface BackupArchives {
    /** What was stored, to be checked when read back, and the tables the dump saw. */
    record Written(String sha256, long chunks, long dumpBytes, long storedBytes, List<TableStat> tables) {}

    /** The engine's dump: writes it and returns each table's rows and checksum taken in the dump's snapshot. */
    @FunctionalInterface
    interface Dump {
        List<TableStat> writeTo(OutputStream out);
    }

    @FunctionalInterface
    interface Load {
        void readFrom(InputStream in);
    }

    /** Bytes moved so far. */
    @FunctionalInterface
    interface Progress {
        void moved(long bytes);

        Progress NONE = b -> {};
    }

    /** Streams {@code dump} into backup {@code id}'s archive in {@code store}; the object appears only when complete. */
    Written write(String store, String id, byte[] dataKey, Dump dump, Progress progress);

    /** Stores the manifest, sealed with the backup's data key and bound to its id; returns the stored object's SHA-256. */
    String writeManifest(String store, String id, byte[] dataKey, BackupManifest manifest);

    /**
     * Reads the manifest back: it must open with this backup's key and id and hash to {@code sha256}; throws
     * {@code IntegrityException} otherwise (a manifest from another backup, a changed or missing one).
     */
    BackupManifest readManifest(String store, String id, byte[] dataKey, String sha256);

    /** Reads the whole archive: every chunk's tag and the SHA-256 must match; throws {@code IntegrityException}. */
    void verify(String store, String id, byte[] dataKey, String sha256);

    /** Re-reads the stored archive as it is and compares its SHA-256 (a new backup's check before it is available). */
    void verifyStored(String store, String id, String sha256);

    /**
     * Streams the decrypted, decompressed dump to {@code load}; each chunk is authenticated before its bytes are
     * released and the SHA-256 is compared at the end (call {@link #verify} first to refuse a bad archive up front).
     */
    void read(String store, String id, byte[] dataKey, String sha256, Load load, Progress progress);

    void delete(String store, String id);

    /** After a crash: removes archives that were never completed, in every store; returns how many. */
    int removeIncomplete();

    /** Proves a store works before it is added: writes, reads back and deletes a small object. */
    void check(BackupStore store, String secretKey, boolean createBucket);
}
