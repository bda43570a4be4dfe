package io.stratum.core.reconcile;

import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupManifest;
import io.stratum.core.backup.Drill;
import io.stratum.core.backup.TableStat;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.port.Envelope;
import io.stratum.core.service.Recorder;
import java.time.Instant;
import java.util.List;

/**
 * The backup and restore steps of instance operations: the engine's dump streamed into an archive, its manifest
 * written, both read back and checked before the backup counts as available; an archive, checked first, streamed into
 * an instance; and a restore drill's comparison of the restored tables with the manifest.
 */
public final class BackupSteps {
    private final Recorder recorder;
    private final Envelope envelope;
    private final BackupArchives archives;

    public BackupSteps(Recorder recorder, Envelope envelope, BackupArchives archives) {
        this.recorder = recorder;
        this.envelope = envelope;
        this.archives = archives;
    }

    /** Where a long step says how far it is: a description (bytes, rate, ETA) and the fraction of the step done. */
    @FunctionalInterface
    public interface Reporter {
        void report(String detail, double fraction);
    }

    /** The read replica backup {@code backupId} is to be dumped from, or null (the instance itself). */
    String takenFrom(String backupId) {
        return load(backupId).origin().takenFrom();
    }

    /** Dumps a managed instance (about {@code estimatedBytes} of data) into backup {@code backupId}. */
    void take(String backupId, EngineProvider engine, InstanceContext ctx, long estimatedBytes, Reporter reporter) {
        store(backupId, out -> engine.dump(ctx, out), estimatedBytes, reporter);
    }

    /** Streams {@code dump} into the backup's archive, writes its manifest, reads both back, then marks it available. */
    public void store(String backupId, BackupArchives.Dump dump, long estimatedBytes, Reporter reporter) {
        Backup b = load(backupId);
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        Instant started = recorder.clock().instant();
        BackupArchives.Written w = archives.write(b.store(), b.id(), key, dump, throttled(estimatedBytes, "dumped", reporter));
        reporter.report(finished("dumped", w.dumpBytes(), started) + ", " + io.stratum.core.backup.TransferProgress.size(w.storedBytes())
                + " stored", 1);
        archives.verifyStored(b.store(), b.id(), w.sha256());
        Instant done = recorder.clock().instant();
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, b.id(), b.engine(), b.version(), b.instance(), b.stack(), b.stage(),
                b.database(), b.kind(), w.sha256(), w.chunks(), w.dumpBytes(), w.storedBytes(), started.toString(), done.toString(), w.tables(),
                b.origin().takenFrom());
        String manifestSha = archives.writeManifest(b.store(), b.id(), key, m);
        archives.readManifest(b.store(), b.id(), key, manifestSha);
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            tx.backups().update(b.completed(new Backup.Archive(w.sha256(), manifestSha, w.chunks(), w.dumpBytes(), w.storedBytes()), done));
            return new Recorder.Change<>(null, "backup/" + b.id(), b.stack(), "backup.available", b.kind() + " backup of " + b.instance()
                    + " in store " + b.store() + ": " + w.dumpBytes() + " bytes dumped, " + w.storedBytes() + " stored in " + w.chunks()
                    + " chunks, " + w.tables().size() + " tables in the manifest"
                    + (b.origin().takenFrom() == null ? "" : ", dumped from read replica " + b.origin().takenFrom()));
        });
    }

    /**
     * Marks a backup failed (the instance itself is unharmed); a failure is an event, never silent. Whatever reached the
     * store is deleted first, outside any metadata transaction (a slow or unreachable store never holds the store's
     * write lock), then the failure is recorded in a short one.
     */
    public void fail(String backupId, String why) {
        Backup b = load(backupId);
        try {
            archives.delete(b.store(), backupId);
        } catch (RuntimeException ignored) {
            // the store is unreachable: nothing complete was written there either
        }
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Backup cur = tx.backups().find(backupId).orElseThrow();
            tx.backups().update(cur.failed(why, recorder.clock().instant()));
            return new Recorder.Change<>(null, "backup/" + backupId, cur.stack(), "backup.failed", cur.instance() + ": " + why);
        });
    }

    /**
     * Streams the archive into the instance, or loads what {@link #stage} unpacked for this operation. The whole
     * archive was checked before the operation began (restore and drill refuse a bad one up front); here each segment
     * is authenticated before its bytes move on, and the SHA-256 compared at the end, before a staged dump is loaded.
     */
    void restore(String operationId, String backupId, EngineProvider engine, InstanceContext ctx, Reporter reporter) {
        Backup b = load(backupId);
        Instant started = recorder.clock().instant();
        StagedDumps.Staging unpacking = staged.take(operationId);
        if (unpacking != null) {
            started = unpacking.started();
            reporter.report("unpacking and checking the dump (begun while the instance was prepared)", 0);
            try {
                unpacking.await();
            } catch (RuntimeException e) {
                engine.discardStaged(ctx);   // taken from the stagings above: nothing else removes what it left
                throw e;
            }
            reporter.report("loading the dump, unpacked and checked", 0.5);
            engine.restoreStaged(ctx);
        } else {
            byte[] key = envelope.open(b.dataKey(), b.keyContext());
            archives.read(b.store(), b.id(), key, b.sha256(), in -> engine.restore(ctx, in), throttled(b.storedBytes(), "restored", reporter));
        }
        reporter.report(finished("restored", b.dumpBytes(), started), 1);
    }

    /**
     * Starts unpacking backup {@code backupId}'s dump next to the instance of operation {@code operationId} in the
     * background (engines with {@code STAGED_RESTORE}), while the steps before its load run; {@link #restore} waits
     * for it. Nothing reaches the engine here: it is unpacked, authenticated and checked, and loaded only later.
     */
    void stage(String operationId, String backupId, EngineProvider engine, InstanceContext ctx) {
        Backup b = load(backupId);
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        staged.start(operationId, engine, ctx, recorder.clock().instant(),
                () -> archives.read(b.store(), b.id(), key, b.sha256(), in -> engine.stageDump(ctx, in), BackupArchives.Progress.NONE));
    }

    /** Stops an operation's background unpacking (it failed before its load) and removes what was unpacked. */
    void discardStaged(String operationId) {
        staged.discard(operationId);
    }

    private final StagedDumps staged = new StagedDumps();

    private String finished(String verb, long bytes, Instant started) {
        java.time.Duration took = java.time.Duration.between(started, recorder.clock().instant());
        return verb + " " + io.stratum.core.backup.TransferProgress.describe(bytes, 0, took) + " in " + took.toMillis() + " ms";
    }

    /** Progress reported at most once a second: bytes so far of {@code total}, the rate and the time left. */
    private static BackupArchives.Progress throttled(long total, String verb, Reporter reporter) {
        long start = System.nanoTime();
        long[] last = {start - 1_000_000_000L};
        return bytes -> {
            long now = System.nanoTime();
            if (now - last[0] < 1_000_000_000L) return;
            last[0] = now;
            reporter.report(verb + " " + io.stratum.core.backup.TransferProgress.describe(bytes, total, java.time.Duration.ofNanos(now - start)),
                    io.stratum.core.backup.TransferProgress.fraction(bytes, total));
        };
    }

    /**
     * Reads the whole archive and the manifest back and returns the data key; throws {@code IntegrityException} for a
     * damaged, truncated, missing or foreign archive or manifest.
     */
    public byte[] check(Backup b) {
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        archives.verify(b.store(), b.id(), key, b.sha256());
        if (b.manifestSha256() != null) {
            BackupManifest m = archives.readManifest(b.store(), b.id(), key, b.manifestSha256());
            if (!m.archiveSha256().equals(b.sha256())) {
                throw new io.stratum.core.secret.IntegrityException("backup " + b.id() + ": the manifest describes another archive");
            }
        }
        return key;
    }

    /** A drill's check: the restored tables against the manifest; the result is recorded on the backup, an event either way. */
    void checkDrill(String backupId, EngineProvider engine, InstanceContext ctx, Instant drillStarted) {
        Backup b = load(backupId);
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        BackupManifest m = archives.readManifest(b.store(), b.id(), key, b.manifestSha256());
        List<TableStat> restored = engine.tableStats(ctx, m.tables());
        List<String> differences = m.differences(restored);
        Instant now = recorder.clock().instant();
        long millis = java.time.Duration.between(drillStarted, now).toMillis();
        String detail = differences.isEmpty() ? m.tables().size() + " tables match the manifest (" + m.tables().stream()
                .mapToLong(TableStat::rows).sum() + " rows)" : String.join("; ", differences);
        record(b.id(), new Drill(differences.isEmpty() ? Drill.Status.PASSED : Drill.Status.FAILED, now, millis, detail));
    }

    /** Records a drill's result (or that one is running) on the backup, with an event. */
    public void record(String backupId, Drill d) {
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Backup b = tx.backups().find(backupId).orElseThrow(() -> new IllegalStateException("backup " + backupId + " is gone"));
            tx.backups().update(b.withDrill(d));
            return new Recorder.Change<>(null, "backup/" + backupId, b.stack(), "backup.drill-" + d.status().wireName(),
                    b.instance() + ": " + d.detail() + (d.status() == Drill.Status.RUNNING ? "" : " (restore and check took " + d.millis() + " ms)"));
        });
    }

    public BackupArchives archives() {
        return archives;
    }

    private Backup load(String id) {
        return recorder.store().read(tx -> tx.backups().find(id)).orElseThrow(() -> new IllegalStateException("backup " + id + " is gone"));
    }
}
