package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupSchedule;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.Operation;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.port.Envelope;
import io.stratum.core.reconcile.BackupSteps;
import io.stratum.core.reconcile.OperationType;
import io.stratum.core.secret.IntegrityException;
import io.stratum.core.validation.ResourceNames;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Manual and final backups of managed instances, and restores into new instances. A backup's archive has its own data
 * key, sealed under the master key; a restore checks the archive (every chunk's tag and the SHA-256) before anything
 * is created.
 */
public final class BackupService {
    static final Set<String> ENGINES = Set.of("postgres", "mariadb", "redis");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Recorder recorder;
    private final Envelope envelope;
    private final BackupArchives archives;
    private final InstanceService instances;

    public BackupService(Recorder recorder, Envelope envelope, BackupArchives archives, InstanceService instances) {
        this.recorder = recorder;
        this.envelope = envelope;
        this.archives = archives;
        this.instances = instances;
    }

    boolean supports(String engine) {
        return ENGINES.contains(engine);
    }

    /** {@code stratum backup create NAME}: a manual backup, kept until deleted. */
    public Operation create(Principal p, String instanceName) {
        Instance i = instances.find(instanceName);
        InstanceService.requireWrite(p, i, "back up instances");
        if (!supports(i.spec().engine())) {
            throw ValidationException.of("instance", i.spec().engine() + " backups are not available yet");
        }
        return snapshotThen(p, i, "manual", OperationType.BACKUP, InstanceStatus.BACKING_UP, "backup");
    }

    /** Records a new backup (creating) and starts {@code type} on the instance, which takes it first. */
    Operation snapshotThen(Principal p, Instance i, String kind, OperationType type, InstanceStatus to, String verb) {
        String id = TokenSecrets.newId("bk-" + i.name() + "-");
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Backup draft = new Backup(id, i.name(), i.spec().engine(), i.spec().version(), kind, BackupStatus.CREATING, i.spec().stack(),
                i.spec().stage(), i.spec().database(), i.spec().masterUser(), null, null, 0, 0, 0, null, recorder.clock().instant(), null);
        Backup b = draft.withDataKey(envelope.seal(key, draft.keyContext()));
        return instances.transitionWith(p, i.name(), type, to, Map.of(BackupSteps.BACKUP, id), verb, (tx, x) -> {
            tx.backups().insert(b);
            return x;
        }, kind + " backup " + id);
    }

    public List<Backup> list(Principal p, String instance) {
        return recorder.store().read(tx -> tx.backups().list(instance)).stream()
                .filter(b -> b.stack() == null ? p.readsEverything() : p.canRead(b.stack())).toList();
    }

    /** The instance's newest backup (the caller has already been allowed to see the instance). */
    public java.util.Optional<Backup> latest(String instance) {
        return recorder.store().read(tx -> tx.backups().list(instance)).stream().findFirst();
    }

    public Backup get(Principal p, String id) {
        ResourceNames.require("id", id);
        return recorder.store().read(tx -> tx.backups().find(id)).filter(b -> b.stack() == null ? p.readsEverything() : p.canRead(b.stack()))
                .orElseThrow(() -> new NotFoundException("backup '" + id + "' does not exist (see 'stratum backup list')"));
    }

    /**
     * {@code stratum backup restore ID --to NEW}: checks the archive, then creates a new instance (same engine, version,
     * database and master user; the source's stack and stage unless given) loaded from it.
     */
    public Operation restore(Principal p, String id, String newName, String instanceClass, String stack, String stage) {
        Backup b = get(p, id);
        if (b.status() != BackupStatus.AVAILABLE) {
            throw new ConflictException("invalid-status", "backup " + id + " is " + b.status().wireName() + ": only available backups restore");
        }
        String targetStack = stack == null && stage == null ? b.stack() : stack;
        String targetStage = stack == null && stage == null ? b.stage() : stage;
        try {
            archives.verify(b.id(), envelope.open(b.dataKey(), b.keyContext()), b.sha256());
        } catch (IntegrityException e) {
            throw ValidationException.of("backup", "backup " + id + " cannot be restored: " + e.getMessage() + " (nothing was created)");
        }
        CreateInstanceRequest r = new CreateInstanceRequest(newName, b.engine(), b.version(), instanceClass, null, null, targetStack,
                targetStage, null, b.database(), b.masterUser(), null, null, null, null, null, null, null);
        return instances.create(p, r, Map.of(BackupSteps.BACKUP, id));
    }

    /**
     * The schedule, run periodically: an automated backup for each available instance whose backup window has begun
     * (once per window), and automated backups past the instance's retention pruned, each an event. Manual and final
     * snapshots are never pruned.
     */
    public void runSchedule() {
        java.time.Instant now = recorder.clock().instant();
        for (Instance i : recorder.store().read(tx -> tx.instances().list())) {
            List<Backup> own = recorder.store().read(tx -> tx.backups().list(i.name()));
            // the first automated backup is taken in the first window that starts after the instance was created
            java.time.Instant lastAutomated = own.stream().filter(b -> "automated".equals(b.kind())).map(Backup::createdAt)
                    .max(java.util.Comparator.naturalOrder()).orElse(i.createdAt());
            if (i.status() == InstanceStatus.AVAILABLE && supports(i.spec().engine())
                    && BackupSchedule.due(i.spec().backupWindow(), i.spec().backupRetentionDays(), now, lastAutomated)) {
                try {
                    snapshotThen(io.stratum.core.reconcile.SystemActor.PRINCIPAL, i, "automated", OperationType.BACKUP,
                            InstanceStatus.BACKING_UP, "backup");
                } catch (RuntimeException e) {
                    recorder.record(io.stratum.core.reconcile.SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null,
                            "instance/" + i.name(), i.spec().stack(), "backup.missed", "automated backup could not start: " + e.getMessage()));
                }
            }
            for (Backup b : BackupSchedule.expired(own, i.spec().backupRetentionDays(), now)) {
                archives.delete(b.id());
                recorder.record(io.stratum.core.reconcile.SystemActor.PRINCIPAL, tx -> {
                    tx.backups().delete(b.id());
                    return new Recorder.Change<>(null, "backup/" + b.id(), b.stack(), "backup.pruned", "automated backup of " + b.instance()
                            + " from " + b.createdAt() + " is past the " + i.spec().backupRetentionDays() + "-day retention");
                });
            }
        }
    }

    /** Deletes a backup and its archive (manual and final backups are kept until this). */
    public void delete(Principal p, String id, String confirm) {
        Backup b = get(p, id);
        if (b.stack() == null) p.requireAdmin("delete backups outside any stack");
        else p.requireWrite(b.stack(), "delete backups");
        if (!id.equals(confirm)) {
            throw new ConflictException("confirmation-required", "deleting backup " + id + " destroys it: repeat its id with --confirm " + id);
        }
        if (b.status() == BackupStatus.CREATING) throw new ConflictException("invalid-status", "backup " + id + " is still being taken");
        archives.delete(id);
        recorder.record(p, tx -> {
            tx.backups().delete(id);
            return new Recorder.Change<>(null, "backup/" + id, b.stack(), "backup.deleted", b.kind() + " backup of " + b.instance());
        });
    }
}
