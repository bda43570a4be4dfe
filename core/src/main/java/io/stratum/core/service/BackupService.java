package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.backup.Drill;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.external.ExternalInstance;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.model.OperationState;
import io.stratum.core.port.Envelope;
import io.stratum.core.reconcile.BackupSteps;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.secret.IntegrityException;
import io.stratum.core.validation.ResourceNames;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Backups of managed and external instances, restores into new instances, and restore drills. A backup's archive has
 * its own data key, sealed under the master key; a restore or drill checks the archive and its manifest (every chunk's
 * tag, both SHA-256s) before anything is created.
 */
public final class BackupService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Recorder recorder;
    private final Envelope envelope;
    private final BackupSteps steps;
    private final InstanceService instances;
    private final ExternalService externals;
    private final BackupStoreService stores;
    private final io.stratum.core.reconcile.OperationRunner runner;
    private final io.stratum.core.reconcile.InstanceLocks locks;

    public BackupService(Recorder recorder, Envelope envelope, BackupSteps steps, InstanceService instances, ExternalService externals,
                         BackupStoreService stores, io.stratum.core.reconcile.OperationRunner runner,
                         io.stratum.core.reconcile.InstanceLocks locks) {
        this.recorder = recorder;
        this.envelope = envelope;
        this.steps = steps;
        this.instances = instances;
        this.externals = externals;
        this.stores = stores;
        this.runner = runner;
        this.locks = locks;
    }

    boolean supports(String engine) {
        return externals.engines().get(engine).capabilities().contains(io.stratum.core.engine.Capability.BACKUP);
    }

    /** True when external databases of {@code engine} can be backed up (dumped through their tunnel). */
    boolean supportsExternal(String engine) {
        return externals.engines().get(engine).capabilities().contains(io.stratum.core.engine.Capability.EXTERNAL_BACKUP);
    }

    /** {@code stratum backup create NAME [--store S]}: a manual backup of a managed or external instance, kept until deleted. */
    public Operation create(Principal p, String instanceName, String store) {
        return create(p, instanceName, store, false);
    }

    /**
     * As above; {@code fromReplica}: the dump is read from the instance's oldest available read replica, sparing the
     * instance its load (409 when it has none); the backup and its manifest say which replica.
     */
    public Operation create(Principal p, String instanceName, String store, boolean fromReplica) {
        ResourceNames.require("instance", instanceName);
        if (store != null) stores.get(p, store);
        Optional<Instance> managed = recorder.store().read(tx -> tx.instances().find(instanceName));
        if (managed.isEmpty()) {
            var external = externals.get(p, instanceName);
            if (fromReplica) throw ValidationException.of("fromReplica", "'" + instanceName + "' is an external instance: Stratum runs no "
                    + "replica of it; back up without --from-replica");
            return createExternal(p, external, "manual", store);
        }
        Instance i = managed.get();
        InstanceService.requireWrite(p, i, "back up instances");
        InstanceService.requirePrimary(i, "take backups");
        if (!supports(i.spec().engine())) throw ValidationException.of("instance", i.spec().engine() + " backups are not available yet");
        String replica = fromReplica ? availableReplica(i) : null;
        return snapshotThen(p, i, "manual", store, OperationInput.TakeBackup::new, InstanceStatus.BACKING_UP, "backup", replica);
    }

    /**
     * Records a new backup (creating) and starts {@code type} on the instance, which takes it first. Its data key is
     * sealed and stored with no master-key rotation in between ({@link Envelope#sealing}).
     */
    Operation snapshotThen(Principal p, Instance i, String kind, String store, java.util.function.Function<String, OperationInput> operation,
                           InstanceStatus to, String verb) {
        return snapshotThen(p, i, kind, store, operation, to, verb, null);
    }

    /** The instance's oldest available read replica, for a backup dumped from it; 409 when it has none. */
    private String availableReplica(Instance i) {
        return recorder.store().read(tx -> tx.instances().replicasOf(i.name())).stream()
                .filter(r -> r.status() == InstanceStatus.AVAILABLE)
                .min(java.util.Comparator.comparing(Instance::createdAt).thenComparing(Instance::name)).map(Instance::name)
                .orElseThrow(() -> new io.stratum.core.error.ConflictException("no-available-replica", "instance '" + i.name()
                        + "' has no available read replica to dump from: create one with 'stratum db replica create NAME --source "
                        + i.name() + "', or back up without --from-replica"));
    }

    private Operation snapshotThen(Principal p, Instance i, String kind, String store,
                                   java.util.function.Function<String, OperationInput> operation, InstanceStatus to, String verb,
                                   String fromReplica) {
        return envelope.sealing(() -> {
            Backup drafted = draft(i.spec(), false, kind, store == null ? stores.policy(i.name()).store() : store);
            Backup b = fromReplica == null ? drafted : new Backup(drafted.id(), drafted.origin().takenFrom(fromReplica), drafted.kind(),
                    drafted.status(), drafted.store(), drafted.dataKey(), drafted.archive(), drafted.error(), drafted.createdAt(),
                    drafted.completedAt(), drafted.drill());
            return instances.transitionWith(p, i.name(), operation.apply(b.id()), to, verb, (tx, x) -> {
                tx.backups().insert(b);
                return x;
            }, kind + " backup " + b.id() + " to store " + b.store() + (fromReplica == null ? "" : ", dumped from read replica " + fromReplica));
        });
    }

    /** Runs {@code work}, which drafts (seals) and stores backups, clear of master-key rotations. */
    <T> T sealing(java.util.function.Supplier<T> work) {
        return envelope.sealing(work);
    }

    /** A new backup of {@code s} ({@code external}: a database Stratum does not run) with a fresh data key, sealed. */
    Backup draft(InstanceSpec s, boolean external, String kind, String store) {
        String id = TokenSecrets.newId("bk-" + s.name() + "-");
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Backup draft = Backup.draft(id, Backup.Origin.of(s, external), kind, store, recorder.clock().instant());
        return draft.withDataKey(envelope.seal(key, draft.keyContext()));
    }

    /** An external database is dumped through its tunnel as its master user, by this service (no engine runs here). */
    Operation createExternal(Principal p, ExternalInstance e, String kind, String store) {
        if (e.stack() == null) p.requireAdmin("back up instances outside any stack");
        else p.requireWrite(e.stack(), "back up instances");
        if (!supportsExternal(e.engine())) {
            throw ValidationException.of("instance", "backups of external " + e.engine() + " databases are not available yet (see "
                    + "'stratum engine list' for the engines whose external databases are backed up through their tunnel)");
        }
        var engine = externals.engines().get(e.engine());
        Operation op = envelope.sealing(() -> {
            Backup draft = draft(ExternalService.spec(e), true, kind, store == null ? stores.policy(e.name()).store() : store);
            Operation o = OperationService.newOperation(new OperationInput.ExternalBackup(draft.id()), e.name(), e.stack(),
                    recorder.clock().instant());
            recorder.record(p, tx -> {
                tx.backups().insert(draft);
                tx.operations().insert(o);
                return new Recorder.Change<>(null, "external/" + e.name(), e.stack(), "external.backup", kind + " backup " + draft.id()
                        + " to store " + draft.store() + " through " + (e.tunneled() ? "the tunnel" : "a direct connection"));
            });
            return o;
        });
        Backup b = recorder.store().read(tx -> tx.backups().find(op.input().backup().orElseThrow())).orElseThrow();
        OperationService ops = new OperationService(recorder);
        // on the same bounded, stack-fair workers as every operation, under the instance's lock like a managed backup
        runner.submit(op, () -> {
            var lock = locks.of(e.name());
            lock.lock();
            try {
                ops.advance(op.id(), OperationState.RUNNING, "take-backup", 0, null);
                steps.store(b.id(), out -> engine.dumpExternal(externals.backupContext(e), out), 0,
                        (detail, fraction) -> ops.report(op.id(), detail, fraction));
                ops.advance(op.id(), OperationState.SUCCEEDED, "done", 1, null);
            } catch (RuntimeException ex) {
                String why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                steps.fail(b.id(), why);
                ops.advance(op.id(), OperationState.FAILED, "take-backup", 0, "backup failed: " + why);
            } finally {
                lock.unlock();
            }
        });
        return op;
    }

    /** At start: an external backup the previous control plane was taking cannot resume (its dump is gone): it fails. */
    public void startUp() {
        OperationService ops = new OperationService(recorder);
        for (Operation op : recorder.store().read(tx -> tx.operations().listUnfinished())) {
            if (!(op.input() instanceof OperationInput.ExternalBackup backup)) continue;
            steps.fail(backup.backupId(), "the control plane stopped during the backup");
            ops.advance(op.id(), OperationState.FAILED, op.step(), op.progress(), "the control plane stopped during the backup");
        }
    }

    public List<Backup> list(Principal p, String instance) {
        return recorder.store().read(tx -> tx.backups().list(instance)).stream()
                .filter(b -> b.stack() == null ? p.readsEverything() : p.canRead(b.stack())).toList();
    }

    /** The instance's newest backup (the caller has already been allowed to see the instance). */
    public Optional<Backup> latest(String instance) {
        return recorder.store().read(tx -> tx.backups().list(instance)).stream().findFirst();
    }

    /** The instance's newest finished restore drill. */
    public Optional<Backup> latestDrill(String instance) {
        return recorder.store().read(tx -> tx.backups().list(instance)).stream()
                .filter(b -> b.drill() != null && b.drill().status() != Drill.Status.RUNNING)
                .max(java.util.Comparator.comparing(b -> b.drill().at()));
    }

    public Backup get(Principal p, String id) {
        ResourceNames.require("id", id);
        return recorder.store().read(tx -> tx.backups().find(id)).filter(b -> b.stack() == null ? p.readsEverything() : p.canRead(b.stack()))
                .orElseThrow(() -> new NotFoundException("backup '" + id + "' does not exist (see 'stratum backup list')"));
    }

    /** An available backup whose archive and manifest read back intact; 400 otherwise, before anything is created. */
    private Backup checked(Principal p, String id, String what) {
        Backup b = get(p, id);
        if (b.status() != BackupStatus.AVAILABLE) {
            throw new ConflictException("invalid-status", "backup " + id + " is " + b.status().wireName() + ": only available backups " + what);
        }
        instances.requireRoomToStage(b);
        try {
            steps.check(b);
        } catch (IntegrityException e) {
            throw ValidationException.of("backup", "backup " + id + " cannot be used: " + e.getMessage() + " (nothing was created)");
        }
        return b;
    }

    /**
     * {@code stratum backup restore ID --to NEW}: checks the archive, then creates a new instance (same engine, version,
     * database and master user; the source's stack and stage unless given) loaded from it.
     */
    public Operation restore(Principal p, String id, String newName, String instanceClass, String stack, String stage) {
        Backup b = checked(p, id, "restore");
        String targetStack = stack == null && stage == null ? b.stack() : stack;
        String targetStage = stack == null && stage == null ? b.stage() : stage;
        return instances.create(p, request(b, newName, instanceClass, targetStack, targetStage), new OperationInput.Create(id, false));
    }

    /**
     * {@code stratum backup restore ID --into NAME --confirm NAME}: replaces an existing instance's data with the backup.
     * A pre-restore snapshot of the current data is taken first (kept until deleted); deletion protection refuses it.
     */
    public Operation restoreInto(Principal p, String id, String target, String confirm) {
        Backup b = checked(p, id, "restore");
        Instance i = instances.find(target);
        InstanceService.requireWrite(p, i, "restore into instances");
        InstanceService.requirePrimary(i, "restore");
        if (!i.spec().engine().equals(b.engine())) {
            throw ValidationException.of("into", "backup " + id + " is a " + b.engine() + " backup; '" + target + "' runs " + i.spec().engine());
        }
        if (!target.equals(confirm)) {
            throw new ConflictException("confirmation-required", "restoring into '" + target + "' replaces all of its data (a pre-restore "
                    + "snapshot is taken first): repeat its name with --confirm " + target);
        }
        InstanceService.requireUnprotected(i);
        return envelope.sealing(() -> {
            Backup pre = draft(i.spec(), false, "pre-restore", stores.policy(i.name()).store());
            return instances.transitionWith(p, target, new OperationInput.Restore(pre.id(), id), InstanceStatus.RESTORING, "restore",
                    (tx, x) -> {
                        tx.backups().insert(pre);
                        return x;
                    }, "from backup " + id + " (pre-restore snapshot " + pre.id() + ")");
        });
    }

    /**
     * The new instance a backup restores into: same engine, version, database and master user. An external database's
     * backup gets the engine's default version, database and master user (its provider's names, such as the
     * {@code postgres} superuser, are not a managed instance's).
     */
    private CreateInstanceRequest request(Backup b, String name, String instanceClass, String stack, String stage) {
        boolean external = b.origin().external();
        return new CreateInstanceRequest(name, b.engine(), external ? null : b.version(), instanceClass, null, null, stack, stage, null,
                external ? null : b.database(), external ? null : b.masterUser(), null, null, null, null, null, null, null, null);
    }

    /**
     * {@code stratum backup verify ID}: a restore drill. The backup is restored into a scratch instance (outside any
     * stack), its tables compared with the manifest, the result and duration recorded on the backup, and the scratch
     * instance removed.
     */
    public Operation verify(Principal p, String id) {
        p.requireAdmin("running restore drills");
        Backup b = checked(p, id, "can be drilled");
        if (b.manifestSha256() == null) throw ValidationException.of("backup", "backup " + id + " predates manifests: it cannot be drilled");
        // recorded before the drill is submitted: a drill that finishes at once must not be overwritten by "running"
        String scratch = TokenSecrets.newId("drill-");
        steps.record(id, new Drill(Drill.Status.RUNNING, recorder.clock().instant(), 0, "restoring into " + scratch));
        try {
            return instances.create(SystemActor.PRINCIPAL, request(b, scratch, null, null, null), new OperationInput.Create(id, true),
                    b.stack());
        } catch (RuntimeException e) {
            steps.record(id, new Drill(Drill.Status.FAILED, recorder.clock().instant(), 0, "the drill could not start: " + e.getMessage()));
            throw e;
        }
    }

    /** Records a drill that could not run on the backup (an event; {@code db show} has it). */
    void drillFailed(String id, String why) {
        steps.record(id, new Drill(Drill.Status.FAILED, recorder.clock().instant(), 0, why));
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
        remove(p, b, "backup.deleted", b.kind() + " backup of " + b.instance());
    }

    /** Removes a backup's objects from its store, then its record, with an event. */
    void remove(Principal p, Backup b, String action, String detail) {
        steps.archives().delete(b.store(), b.id());
        recorder.record(p, tx -> {
            tx.backups().delete(b.id());
            return new Recorder.Change<>(null, "backup/" + b.id(), b.stack(), action, detail);
        });
    }

    /** Where an instance's backups go and how often they are drilled, for {@code db show}. */
    public io.stratum.core.backup.BackupPolicy policy(String instance) {
        return stores.policy(instance);
    }

    /** {@code db modify NAME --backup-store S --drill weekly|after-each|off} (managed or external; null keeps a setting). */
    public io.stratum.core.backup.BackupPolicy changePolicy(Principal p, String name, String store, String drill) {
        ResourceNames.require("name", name);
        Optional<Instance> managed = recorder.store().read(tx -> tx.instances().find(name));
        String stack = managed.isPresent() ? managed.get().spec().stack() : externals.get(p, name).stack();
        if (managed.isPresent() && !p.sees(stack)) throw new NotFoundException("instance '" + name + "' does not exist (see 'stratum db list')");
        if (stack == null) p.requireAdmin("change backups outside any stack");
        else p.requireWrite(stack, "change backups");
        if (store == null && drill == null) throw ValidationException.of("body", "give backupStore and/or drill");
        if ("after-each".equals(drill)) {
            p.requireAdmin("restore drills after each backup (each runs a scratch instance as large as the backup)");
        }
        return recorder.record(p, tx -> {
            var policy = BackupStoreService.change(tx, name, store, drill);
            return new Recorder.Change<>(policy, "instance/" + name, stack, "instance.backup-policy", "backups to store " + policy.store()
                    + ", restore drills " + policy.drill().wireName());
        });
    }
}
