package io.stratum.core.reconcile;

import io.stratum.core.backup.Backup;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.port.Envelope;
import io.stratum.core.service.Recorder;

/**
 * The backup and restore steps of instance operations: the engine's dump streamed into an archive (then read back and
 * checked before the backup counts as available), and an archive, checked first, streamed into a new instance.
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

    /** Operation input key: the backup this operation takes or restores. */
    public static final String BACKUP = "backup";

    void take(String backupId, EngineProvider engine, InstanceContext ctx) {
        Backup b = load(backupId);
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        BackupArchives.Written w = archives.write(b.id(), key, out -> engine.dump(ctx, out));
        archives.verify(b.id(), key, w.sha256());
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            tx.backups().update(b.completed(w.sha256(), w.chunks(), w.dumpBytes(), w.storedBytes(), recorder.clock().instant()));
            return new Recorder.Change<>(null, "backup/" + b.id(), b.stack(), "backup.available", b.kind() + " backup of " + b.instance()
                    + ": " + w.dumpBytes() + " bytes dumped, " + w.storedBytes() + " stored in " + w.chunks() + " chunks");
        });
    }

    /** Marks a backup failed (the instance itself is unharmed); a failure is an event, never silent. */
    void fail(String backupId, String why) {
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Backup b = tx.backups().find(backupId).orElseThrow();
            tx.backups().update(b.failed(why, recorder.clock().instant()));
            archives.delete(backupId);
            return new Recorder.Change<>(null, "backup/" + backupId, b.stack(), "backup.failed", b.instance() + ": " + why);
        });
    }

    void restore(String backupId, EngineProvider engine, InstanceContext ctx) {
        Backup b = load(backupId);
        byte[] key = envelope.open(b.dataKey(), b.keyContext());
        archives.verify(b.id(), key, b.sha256());
        archives.read(b.id(), key, in -> engine.restore(ctx, in));
    }

    private Backup load(String id) {
        return recorder.store().read(tx -> tx.backups().find(id)).orElseThrow(() -> new IllegalStateException("backup " + id + " is gone"));
    }
}
