package io.stratum.core.backup;

import java.util.List;

/**
 * What a backup holds, stored next to its archive (encrypted with the backup's data key, so it opens only with this
 * backup): where it came from, the archive's size and SHA-256, and each table's rows and checksum taken in the dump's
 * snapshot, which a restore drill compares with the restored data. Times are ISO-8601.
 */
public record BackupManifest(int format, String backupId, String engine, String version, String instance, String stack, String stage,
                             String database, String kind, String archiveSha256, long chunks, long dumpBytes, long storedBytes,
                             String startedAt, String completedAt, List<TableStat> tables, String takenFrom) {
    /** A manifest of a backup dumped from the instance itself (manifests written before replicas read back this way). */
    public BackupManifest(int format, String backupId, String engine, String version, String instance, String stack, String stage,
                          String database, String kind, String archiveSha256, long chunks, long dumpBytes, long storedBytes,
                          String startedAt, String completedAt, List<TableStat> tables) {
        this(format, backupId, engine, version, instance, stack, stage, database, kind, archiveSha256, chunks, dumpBytes, storedBytes,
                startedAt, completedAt, tables, null);
    }

    public static final int FORMAT = 1;

    /** Differences between the manifest's tables and {@code restored}, one line each; empty when they match. */
    public List<String> differences(List<TableStat> restored) {
        java.util.Map<String, TableStat> got = new java.util.TreeMap<>();
        restored.forEach(t -> got.put(t.table(), t));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (TableStat want : tables) {
            TableStat have = got.remove(want.table());
            if (have == null) out.add(want.table() + ": missing after restore (" + want.rows() + " rows in the backup)");
            else if (have.rows() != want.rows()) out.add(want.table() + ": " + have.rows() + " rows restored, " + want.rows() + " in the backup");
            else if (want.checksum() == null) continue; // keys only (Redis)
            else if (!sameKind(want.checksum(), have.checksum())) {
                out.add(want.table() + ": its checksum could not be made as the backup's was (" + have.checksum() + " restored, "
                        + want.checksum() + " in the backup)");
            } else if (!want.checksum().equals(have.checksum())) {
                out.add(want.table() + ": checksum " + have.checksum() + " restored, " + want.checksum() + " in the backup");
            }
        }
        got.keySet().forEach(t -> out.add(t + ": present after restore but not in the backup"));
        return out;
    }

    /**
     * Checksums compare when both were made the same way (a {@code method:} prefix, if any, is equal); the engine makes
     * a drill's checksums as the manifest says, so another kind (or none) is a difference, never a check skipped.
     */
    private static boolean sameKind(String want, String have) {
        if (have == null) return false;
        int w = want.indexOf(':');
        int h = have.indexOf(':');
        return w == h && (w < 0 || want.regionMatches(0, have, 0, w));
    }
}
