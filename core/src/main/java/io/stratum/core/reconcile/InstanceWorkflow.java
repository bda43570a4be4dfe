package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.network.IngressPolicy;
import io.stratum.core.model.OperationState;
import io.stratum.core.port.Placement;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance operation's planned steps under the instance's lock, recording the current step and progress
 * after each, so that a control plane killed mid-operation resumes from the step it was in.
 */
public final class InstanceWorkflow {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceWorkflow.class);
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final Placement placement;
    private final SecretService secrets;
    private final io.stratum.core.service.OperationService operations;
    private final io.stratum.core.port.InstanceCertificates certificates;
    private final InstanceLocks locks;
    private final FirewallSync firewall;
    private final BackupSteps backups;
    private final StepListener steps;
    private final ReplicationSteps replication;

    public InstanceWorkflow(Recorder recorder, EngineRegistry engines, Placement placement, SecretService secrets,
                            io.stratum.core.port.InstanceCertificates certificates, InstanceLocks locks, FirewallSync firewall,
                            BackupSteps backups, StepListener steps) {
        this.firewall = firewall;
        this.backups = backups;
        this.certificates = certificates;
        this.recorder = recorder;
        this.engines = engines;
        this.placement = placement;
        this.secrets = secrets;
        this.operations = new io.stratum.core.service.OperationService(recorder);
        this.locks = locks;
        this.steps = steps;
        this.replication = new ReplicationSteps(recorder, engines, secrets, placement.endpointHost(), this::context, locks);
    }

    /** Runs {@code op} from its recorded position to the end; a failure is recovered as its plan says. */
    public void run(Operation op) {
        runFrom(op, false);
    }

    /** After a restart: resume {@code op} at the step it was in; an interrupted create that cannot finish is undone. */
    public void resume(Operation op) {
        runFrom(op, true);
    }

    private void runFrom(Operation op, boolean resumed) {
        InstancePlan plan = InstancePlanner.plan(op.input());
        ReentrantLock lock = locks.of(op.resource());
        lock.lock();
        try {
            execute(op, plan);
        } catch (RuntimeException e) {
            backups.discardStaged(op.id());
            Operation latest = recorder.store().read(tx -> tx.operations().find(op.id())).orElse(op);
            switch (plan.recoveryAt(latest.position(), resumed)) {
                case FAIL_DRILL -> failDrill(op, e);
                case UNDO_CREATE -> rollbackCreate(op, e);
                case UNDO_ROTATION -> rollbackRotation(op, e);
                case FAIL_BACKUP_ONLY -> failBackup(op, latest, e);
                case MARK_FAILED -> fail(op, e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void execute(Operation op, InstancePlan plan) {
        Operation current = op;
        int from = plan.resumeFrom(op.position());
        int staging = plan.stagingFrom(from);
        for (int i = from; i < plan.size(); i++) {
            Step step = plan.at(i);
            current = operations.advance(current.id(), OperationState.RUNNING, step.wireName(), i, (double) i / plan.size(), null);
            if (i == staging) stageRestore(op);
            steps.beforeStep(current, step, i);
            long t0 = System.nanoTime();
            perform(step, current, plan);
            LOG.debug("{} {}: {} took {} ms", op.type().wireName(), op.resource(), step.wireName(), (System.nanoTime() - t0) / 1_000_000);
        }
        advance(current.id(), OperationState.SUCCEEDED, "done", 1.0, null);
    }

    private void perform(Step step, Operation op, InstancePlan plan) {
        Instance instance = load(op.resource()).orElseThrow(() -> new IllegalStateException("instance " + op.resource() + " is gone"));
        EngineProvider engine = engines.get(instance.spec().engine());
        boolean rotating = op.input() instanceof OperationInput.RotatePassword && step != Step.STAGE_PASSWORD;
        InstanceContext ctx = rotating ? pendingContext(instance) : context(instance);
        switch (step) {
            case CREATE_DIRECTORIES -> placement.createDirectories(ctx);
            case PREPARE_DATA -> engine.prepareData(ctx);
            case APPLY_PENDING -> applyPending(instance);
            case WRITE_CONFIG -> {
                if (ctx.tlsOn()) certificates.ensure(ctx);
                engine.writeConfig(ctx);
            }
            case APPLY_FIREWALL -> firewall.sync();
            case TAKE_BACKUP -> {
                String backupId = op.input().backup().orElseThrow();
                InstanceContext from = replication.dumpSource(instance, ctx, backups.takenFrom(backupId));
                backups.take(backupId, engine, from, placement.usedBytes(from), reporter(op, plan));
            }
            case RESTORE_BACKUP -> backups.restore(op.id(), restoreSource(op.input()), engine, ctx, reporter(op, plan));
            case EMPTY_DATABASE -> engine.emptyDatabase(ctx);
            case BEGIN_BULK_LOAD -> {
                if (engine.capabilities().contains(io.stratum.core.engine.Capability.BULK_LOAD)) engine.beginBulkLoad(ctx);
            }
            case END_BULK_LOAD -> {
                if (engine.capabilities().contains(io.stratum.core.engine.Capability.BULK_LOAD)) engine.endBulkLoad(ctx);
            }
            case CHECK_DRILL -> {
                backups.checkDrill(op.input().backup().orElseThrow(), engine, ctx, op.createdAt());
                setStatus(instance.name(), InstanceStatus.DELETING, null, "instance.deleting", "restore drill done, scratch instance removed");
            }
            case APPLY_INGRESS -> engine.applyIngress(ctx);
            case STOP -> engine.stop(ctx);
            case START -> {
                if (engine.observe(ctx) != ProcessState.RUNNING) {
                    if (!placement.portFree(ctx.spec().port(), ctx.spec().publicAccess())) {
                        throw new IllegalStateException("port " + ctx.spec().port() + " on " + ctx.bindAddress() + " is taken by another "
                                + "process (not a Stratum instance): stop it, then start '" + instance.name() + "' again");
                    }
                    engine.start(ctx);
                }
            }
            // a read replica has all it has from its source (its engine refuses writes)
            case BOOTSTRAP -> {
                if (!instance.spec().isReplica()) engine.bootstrap(ctx);
            }
            case PREPARE_SOURCE -> replication.prepareSource(ctx);
            case SEED_REPLICA -> engine.seedReplica(ctx);
            case DROP_REPLICATION_SLOT -> replication.dropSlot(ReplicationSteps.sourceOf(op.input()), instance.name());
            case PROMOTE_ENGINE -> engine.promote(ctx);
            case DETACH_REPLICA -> replication.detach(instance.name());
            case APPLY_LIVE -> applyLive(engine, ctx, op);
            case VERIFY -> engine.verifyConnection(ctx);
            case MARK_AVAILABLE -> markRunning(instance, engine, ctx);
            case MARK_STOPPED -> setStatus(instance.name(), InstanceStatus.STOPPED, null, "instance.stopped", null);
            case REMOVE_DATA -> placement.removeDirectories(ctx);
            case STAGE_PASSWORD -> secrets.stagePending(Credentials.masterSecret(instance.spec()),
                    () -> Credentials.masterValue(instance.spec(), placement.endpointHost(), Credentials.password(32)));
            case PROMOTE_PASSWORD -> {
                recorder.record(SystemActor.PRINCIPAL, tx -> {
                    secrets.promotePending(tx, Credentials.masterSecret(instance.spec()));
                    return new Recorder.Change<>(null, "instance/" + instance.name(), instance.spec().stack(), "instance.password-rotated",
                            "secret " + Credentials.masterSecret(instance.spec()) + " has a new current version");
                });
                replication.refreshReplicaUsers(instance.name());
            }
            case MARK_DELETED -> recorder.record(SystemActor.PRINCIPAL, tx -> {
                forget(tx, instance);
                return new Recorder.Change<>(null, "instance/" + instance.name(), instance.spec().stack(), "instance.deleted",
                        "port " + instance.spec().port() + " released, data removed");
            });
        }
    }

    /** For engines that stage dumps: the restore's dump unpacks in the background while the steps before its load run. */
    private void stageRestore(Operation op) {
        Instance instance = load(op.resource()).orElseThrow(() -> new IllegalStateException("instance " + op.resource() + " is gone"));
        EngineProvider engine = engines.get(instance.spec().engine());
        if (engine.capabilities().contains(io.stratum.core.engine.Capability.STAGED_RESTORE)) {
            backups.stage(op.id(), restoreSource(op.input()), engine, context(instance));
        }
    }

    /** The backup a restore step reads: a restore's source, or the backup a new instance is created from. */
    private static String restoreSource(OperationInput input) {
        return switch (input) {
            case OperationInput.Restore r -> r.source();
            case OperationInput.Create c when c.restoreFrom() != null -> c.restoreFrom();
            default -> throw new IllegalStateException(input.type().wireName() + " restores no backup");
        };
    }

    /**
     * Available, unless the storage is already full (then read-only and storage-full). Read-only is switched only when
     * the state changes, so a plain create or reboot costs no extra admin round trip.
     */
    private void markRunning(Instance instance, EngineProvider engine, InstanceContext ctx) {
        long used = placement.usedBytes(ctx);
        boolean full = used >= instance.spec().allocatedBytes() && instance.spec().storageGiB() >= instance.spec().maxStorageGiB();
        boolean wasFull = instance.storageFull();
        if ((full || wasFull) && !instance.spec().isReplica()) engine.setReadOnly(ctx, full);
        setStatus(instance.name(), full ? InstanceStatus.STORAGE_FULL : InstanceStatus.AVAILABLE, null,
                full ? "instance.storage-full" : "instance.available", "endpoint " + placement.endpointHost() + ":" + instance.spec().port());
    }

    private void applyPending(Instance instance) {
        if (instance.pending().isEmpty()) return;
        Instance applied = PendingModifications.apply(instance, recorder.clock().instant());
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            tx.instances().update(applied);
            return new Recorder.Change<>(null, "instance/" + instance.name(), instance.spec().stack(),
                    "instance.pending-applied", String.join(", ", instance.pending().keySet()));
        });
    }

    private void applyLive(EngineProvider engine, InstanceContext ctx, Operation op) {
        Set<String> names = op.input() instanceof OperationInput.Modify m ? m.live() : Set.of();
        if (names.isEmpty()) return;
        engine.applyLive(ctx, names);
        Map<String, String> expected = new TreeMap<>(engine.settings(ctx.spec()));
        expected.keySet().retainAll(names);
        Map<String, String> actual = engine.readLive(ctx, names);
        for (var e : expected.entrySet()) {
            if (!SettingValues.same(e.getValue(), actual.get(e.getKey()))) {
                throw new IllegalStateException("setting " + e.getKey() + " should be " + e.getValue() + " but the engine reports "
                        + actual.get(e.getKey()));
            }
        }
    }

    private void rollbackCreate(Operation op, RuntimeException cause) {
        LOG.warn("rolling back interrupted create of {}: {}", op.resource(), cause.toString());
        load(op.resource()).ifPresent(instance -> {
            EngineProvider engine = engines.get(instance.spec().engine());
            InstanceContext ctx = context(instance);
            try {
                engine.stop(ctx);
            } catch (RuntimeException e) {
                LOG.warn("stop during rollback of {} failed: {}", instance.name(), e.toString());
            }
            placement.removeDirectories(ctx);
            if (instance.spec().isReplica()) {
                try {
                    replication.dropSlot(instance.spec().source(), instance.name());
                } catch (RuntimeException e) {
                    LOG.warn("dropping the replication slot of {} during rollback failed: {}", instance.name(), e.toString());
                }
            }
            recorder.record(SystemActor.PRINCIPAL, tx -> {
                forget(tx, instance);
                return new Recorder.Change<>(null, "instance/" + instance.name(), instance.spec().stack(),
                        "instance.create-rolled-back", "after a control-plane restart: " + cause.getMessage());
            });
            firewall.sync();
        });
        advance(op.id(), OperationState.FAILED, op.step(), op.progress(), "rolled back: " + cause.getMessage());
    }

    /** Reports a long step's progress on its operation: the step's share of the whole, and what it is doing. */
    private BackupSteps.Reporter reporter(Operation op, InstancePlan plan) {
        double width = 1.0 / plan.size();
        return (detail, fraction) -> operations.report(op.id(), detail, op.progress() + fraction * width);
    }

    /** A drill that could not restore or check fails the drill (an event), and its scratch instance is removed. */
    private void failDrill(Operation op, RuntimeException cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        backups.record(op.input().backup().orElseThrow(), new io.stratum.core.backup.Drill(io.stratum.core.backup.Drill.Status.FAILED,
                recorder.clock().instant(), java.time.Duration.between(op.createdAt(), recorder.clock().instant()).toMillis(),
                "the restore failed: " + message));
        rollbackCreate(op, cause);
    }

    /** The engine rejected or never got the new password: drop it, put the old one back, leave the instance as it was. */
    private void rollbackRotation(Operation op, RuntimeException cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        load(op.resource()).ifPresent(instance -> {
            secrets.discardPending(Credentials.masterSecret(instance.spec()));
            EngineProvider engine = engines.get(instance.spec().engine());
            InstanceContext ctx = context(instance);
            try {
                engine.writeConfig(ctx);
                if (engine.observe(ctx) == ProcessState.RUNNING) engine.bootstrap(ctx);
            } catch (RuntimeException e) {
                LOG.warn("restoring the previous password of {} failed: {}", instance.name(), e.toString());
            }
            recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + instance.name(),
                    instance.spec().stack(), "instance.password-rotation-failed", "the previous password still works: " + message));
        });
        Operation current = recorder.store().read(tx -> tx.operations().find(op.id())).orElse(op);
        if (!current.state().terminal()) {
            advance(op.id(), OperationState.FAILED, current.step(), current.progress(),
                    "rotation failed and was undone; the previous password still works: " + message);
        }
    }

    private InstanceContext pendingContext(Instance i) {
        String pending = secrets.pendingValue(Credentials.masterSecret(i.spec()))
                .orElseThrow(() -> new IllegalStateException("no staged password for " + i.name()));
        String admin = Credentials.password(secrets.currentValue(Credentials.adminSecret(i.spec())));
        return placement.context(i, Credentials.password(pending), admin, ingress(i), managedUsers(i, java.util.Map.of()));
    }

    /** The engine is unharmed: the backup fails, the instance stays in service (a delete waits for a snapshot). */
    private void failBackup(Operation op, Operation latest, RuntimeException e) {
        LOG.warn("operation {} ({} {}) failed: {}", op.id(), op.type().wireName(), op.resource(), e.toString());
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        backups.fail(op.input().backup().orElseThrow(), message);
        // back to what the instance is: stopped (a final snapshot of a stopped instance), still full, or available
        load(op.resource()).ifPresent(i -> {
            boolean running = engines.get(i.spec().engine()).observe(context(i)) == ProcessState.RUNNING;
            boolean full = i.storageFull();
            InstanceStatus back = !running ? InstanceStatus.STOPPED : full ? InstanceStatus.STORAGE_FULL : InstanceStatus.AVAILABLE;
            if (back != i.status() && !i.status().canMoveTo(back)) back = InstanceStatus.AVAILABLE;
            setStatus(i.name(), back, full ? i.lastError() : null, "instance." + back.wireName(), "after a failed backup");
        });
        advance(op.id(), OperationState.FAILED, latest.step(), latest.progress(), "backup failed: " + message);
    }

    private void fail(Operation op, RuntimeException e) {
        LOG.warn("operation {} ({} {}) failed: {}", op.id(), op.type().wireName(), op.resource(), e.toString());
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (op.input() instanceof OperationInput.Restore r) {
            message += " (the data from before the restore is in the pre-restore snapshot " + r.preRestoreSnapshot() + ")";
        }
        String failure = message;
        Optional<Instance> instance = load(op.resource());
        if (InstancePlanner.plan(op.input()).steps().contains(Step.BEGIN_BULK_LOAD)) instance.ifPresent(this::leaveBulkLoad);
        instance.ifPresent(i -> {
            if (i.status() != InstanceStatus.FAILED && i.status().canMoveTo(InstanceStatus.FAILED)) {
                setStatus(i.name(), InstanceStatus.FAILED, failure, "instance.failed", op.type().wireName() + ": " + failure);
            }
        });
        Operation current = recorder.store().read(tx -> tx.operations().find(op.id())).orElse(op);
        if (!current.state().terminal()) {
            advance(op.id(), OperationState.FAILED, current.step(), current.progress(), failure);
        }
    }

    /**
     * A failed restore into a new instance does not leave it in its engine's bulk-load mode (a later start, or the
     * supervisor's restart after a crash, would keep it): best effort, the failure being reported is the operation's.
     */
    private void leaveBulkLoad(Instance i) {
        EngineProvider engine = engines.get(i.spec().engine());
        if (!engine.capabilities().contains(io.stratum.core.engine.Capability.BULK_LOAD)) return;
        try {
            engine.endBulkLoad(context(i));
        } catch (RuntimeException e) {
            LOG.warn("{}: leaving the bulk-load settings failed: {}", i.name(), e.toString());
        }
    }

    /** Moves the instance to {@code status} (if allowed) and records the event. */
    public void setStatus(String name, InstanceStatus status, String error, String action, String detail) {
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Instance i = tx.instances().find(name).orElseThrow(() -> new IllegalStateException("instance " + name + " is gone"));
            if (i.status() != status) {
                if (!i.status().canMoveTo(status)) {
                    throw new IllegalStateException("instance " + name + " is " + i.status().wireName() + " and cannot become "
                            + status.wireName());
                }
                tx.instances().update(i.withStatus(status, error, recorder.clock().instant()));
            } else if (error != null || i.lastError() != null) {
                tx.instances().update(i.withStatus(status, error, recorder.clock().instant()));
            }
            return new Recorder.Change<>(null, "instance/" + name, i.spec().stack(), action, detail);
        });
    }

    /** The instance's record, its managed users and its managed secrets go together. */
    private static void forget(io.stratum.core.port.StoreTx tx, Instance instance) {
        for (var u : tx.users().list(instance.name())) {
            tx.users().delete(instance.name(), u.name());
            tx.secrets().delete(Credentials.userSecret(instance.spec(), u.name()));
        }
        tx.instances().delete(instance.name());
        tx.backupStores().deletePolicy(instance.name());
        // a replica's master secret is its source's
        if (!instance.spec().isReplica()) tx.secrets().delete(Credentials.masterSecret(instance.spec()));
        // the replication login's secret if it is Stratum's (a secret of that name a stack's operator made is theirs)
        tx.secrets().find(Credentials.replicationSecret(instance.spec())).filter(io.stratum.core.secret.Secret::managed)
                .ifPresent(s -> tx.secrets().delete(s.name()));
        tx.secrets().delete(Credentials.adminSecret(instance.spec()));
    }

    public InstanceContext context(Instance i) {
        return context(i, java.util.Map.of());
    }

    /** The context with some managed users' passwords given (a rotation sets the new one before it becomes current). */
    public InstanceContext context(Instance i, java.util.Map<String, String> userPasswords) {
        String master = Credentials.password(secrets.currentValue(Credentials.masterSecret(i.spec())));
        String admin = Credentials.password(secrets.currentValue(Credentials.adminSecret(i.spec())));
        InstanceContext ctx = placement.context(i, master, admin, ingress(i), managedUsers(i, userPasswords));
        return replication.link(i.spec(), ctx.connectHost()).map(ctx::withReplication).orElse(ctx);
    }

    /** The instance's managed users with their current passwords (or those given). */
    private java.util.List<io.stratum.core.user.UserCredentials> managedUsers(Instance i, java.util.Map<String, String> given) {
        // a read replica's users are its source's (reads use the same logins)
        Instance owner = i.spec().isReplica() ? load(i.spec().source()).orElse(i) : i;
        return recorder.store().read(tx -> tx.users().list(owner.name())).stream()
                .map(u -> new io.stratum.core.user.UserCredentials(u, given.containsKey(u.name()) ? given.get(u.name())
                        : Credentials.password(secrets.currentValue(Credentials.userSecret(owner.spec(), u.name()))))).toList();
    }

    /** After the users of {@code source} changed: its read replicas admit exactly them too (see {@link ReplicationSteps}). */
    public void refreshReplicaUsers(String source) {
        replication.refreshReplicaUsers(source);
    }

    /** The networks the instance admits now (from its security groups in the store). */
    private java.util.List<io.stratum.core.network.Cidr> ingress(Instance i) {
        return IngressPolicy.networks(firewall.ingress(i.spec()));
    }

    /** Sources whose slots for replicas that are gone wait to be dropped (see {@link ReplicationMonitor}). */
    java.util.Set<String> slotsToClean() {
        return replication.slotsToClean;
    }

    boolean keepOnlyCurrentSlots(String source) {
        return replication.keepOnlyCurrentSlots(source);
    }

    public Optional<Instance> load(String name) {
        return recorder.store().read(tx -> tx.instances().find(name));
    }

    private Operation advance(String id, OperationState state, String step, double progress, String error) {
        return operations.advance(id, state, step, progress, error);
    }
}
