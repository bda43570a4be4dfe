package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceRequests;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.port.Placement;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.reconcile.OperationRunner;
import io.stratum.core.reconcile.PendingModifications;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Instances: validate, authorize, record the desired state and an operation, hand the operation to the runner. */
public final class InstanceService {
    /** What {@code db connect} needs; only for callers allowed to write in the instance's stack. */
    public record MasterCredentials(String engine, String host, int port, String username, String password, String database) {
        @Override
        public String toString() {
            return "MasterCredentials[" + engine + " " + username + "@" + host + ":" + port + ", password redacted]";
        }
    }

    private final Recorder recorder;
    private final EngineRegistry engines;
    private final Placement placement;
    private final SecretService secrets;
    private final OperationRunner runner;
    private final PortAllocator ports;
    private final InstanceModifications modifications;
    private final io.stratum.core.reconcile.FirewallSync firewall;
    private BackupService backups;
    private final boolean singleTenant;

    /** Backups (final snapshots on delete); set once at start-up. */
    public void useBackups(BackupService b) {
        this.backups = b;
    }

    public InstanceService(Recorder recorder, EngineRegistry engines, Placement placement, SecretService secrets,
                           OperationRunner runner, io.stratum.core.reconcile.FirewallSync firewall, int portRangeStart, int portRangeEnd,
                           boolean singleTenant) {
        this.singleTenant = singleTenant;
        this.firewall = firewall;
        this.recorder = recorder;
        this.engines = engines;
        this.placement = placement;
        this.secrets = secrets;
        this.runner = runner;
        this.ports = new PortAllocator(placement, portRangeStart, portRangeEnd);
        this.modifications = new InstanceModifications(engines);
    }

    public Operation create(Principal p, CreateInstanceRequest r) {
        return create(p, r, OperationInput.Create.empty());
    }

    /** A create whose operation carries {@code input} (e.g. the backup a new instance is restored from). */
    Operation create(Principal p, CreateInstanceRequest r, OperationInput.Create input) {
        return create(p, r, input, r.stack());
    }

    /**
     * As above, the operation counted (for fair workers and concurrent-operation quotas) against {@code operationStack}:
     * a restore drill's scratch instance is outside any stack, its work is the backup's stack's.
     */
    Operation create(Principal p, CreateInstanceRequest r, OperationInput.Create input, String operationStack) {
        if (r.stack() == null) p.requireAdmin("creating an instance outside any stack");
        else p.requireWrite(r.stack(), "create instances");
        return insert(p, InstanceRequests.validate(r, engines), input, operationStack, r.backupStore(), tx -> {});
    }

    /**
     * Records a validated new instance (its port chosen, its secrets made) and its operation, and submits it. A read replica
     * makes no master secret (it has its source's); {@code checks} run first in the same transaction.
     */
    Operation insert(Principal p, InstanceSpec validated, OperationInput input, String operationStack, String backupStore,
                     java.util.function.Consumer<io.stratum.core.port.StoreTx> checks) {
        placement.validateName(validated.name());
        if (validated.masterUser().equals(placement.osUsers(validated.name()).adminName())) {
            throw ValidationException.of("masterUser", "'" + validated.masterUser() + "' is the login Stratum administers this instance "
                    + "with (the control plane's OS user): choose another master user name");
        }
        requireDisk(validated.storageGiB());
        var now = recorder.clock().instant();
        String master = Credentials.password(32);
        String admin = Credentials.password(32);
        synchronized (ports) {
            Set<Integer> used = recorder.store().read(tx -> tx.instances().usedPorts());
            int port = ports.choose(validated.port(), validated.publicAccess(), used);
            InstanceSpec spec = validated.toBuilder().port(port).build();
            Instance instance = new Instance(spec, InstanceStatus.CREATING, Map.of(), null, 0, false, now, now);
            Operation op = OperationService.newOperation(input, spec.name(), operationStack, now);
            recorder.record(p, tx -> {
                checks.accept(tx);
                if (spec.stack() != null && tx.stages().find(spec.stack(), spec.stage()).isEmpty()) {
                    throw new NotFoundException("stage '" + spec.stack() + "/" + spec.stage()
                            + "' does not exist: create it with 'stratum stage create " + spec.stack() + "/" + spec.stage() + "'");
                }
                requireGroups(tx, spec.securityGroups());
                if (!placement.isolatesInstances() && !singleTenant) requireOneTenant(tx, spec);
                QuotaService.requireRoom(tx, spec.stack(), 1, QuotaService.ceilingGiB(spec));
                if (!tx.instances().insert(instance)) {
                    throw new ConflictException("already-exists", "instance '" + spec.name() + "' already exists");
                }
                if (backupStore != null) BackupStoreService.change(tx, spec.name(), backupStore, null);
                if (!spec.isReplica()) {
                    secrets.createManaged(tx, Credentials.masterSecret(spec), Credentials.masterValue(spec, placement.endpointHost(), master),
                            Credentials.tags(spec, "master", true));
                }
                secrets.createManaged(tx, Credentials.adminSecret(spec), Credentials.adminValue(admin),
                        Credentials.tags(spec, "stratum-admin", false));
                tx.operations().insert(op);
                return new Recorder.Change<>(null, "instance/" + spec.name(), spec.stack(), spec.isReplica() ? "instance.create-replica"
                        : "instance.create", spec.engine() + " " + spec.version() + ", class " + spec.instanceClass().wireName() + ", port "
                        + port + ", " + spec.storageGiB() + " GiB" + (spec.isReplica() ? ", read replica of " + spec.source() : ""));
            });
            runner.submit(op);
            return op;
        }
    }

    public List<Instance> list(Principal p) {
        return recorder.store().read(tx -> tx.instances().list()).stream()
                .filter(i -> i.spec().stack() == null ? p.readsEverything() : p.canRead(i.spec().stack())).toList();
    }

    public Instance get(Principal p, String name) {
        Instance i = find(name);
        if (!p.sees(i.spec().stack())) throw notFound(name);
        return i;
    }

    public Operation stop(Principal p, String name) {
        return transition(p, name, new OperationInput.Stop(), InstanceStatus.STOPPING, "stop");
    }

    public Operation start(Principal p, String name) {
        return transition(p, name, new OperationInput.Start(), InstanceStatus.STARTING, "start");
    }

    public Operation reboot(Principal p, String name) {
        return transition(p, name, new OperationInput.Reboot(), InstanceStatus.REBOOTING, "reboot");
    }

    public Operation delete(Principal p, String name, String confirm, boolean skipFinalSnapshot) {
        Instance i = find(name);
        requireWrite(p, i, "delete instances");
        if (!name.equals(confirm)) {
            throw new ConflictException("confirmation-required", "deleting instance '" + name + "' destroys its data: repeat "
                    + "its name with --confirm " + name);
        }
        requireUnprotected(i);
        // RDS: a read replica's delete takes no final snapshot (its data is its source's); its slot on the source goes too
        if (i.spec().isReplica()) {
            return transitionWith(p, name, new OperationInput.Delete(null, i.spec().source()), InstanceStatus.DELETING, "delete",
                    (tx, x) -> x, "read replica of " + i.spec().source() + ": no final snapshot");
        }
        requireNoReplicas(recorder.store().read(tx -> tx.instances().replicasOf(name)), name);
        if (skipFinalSnapshot) return transition(p, name, new OperationInput.Delete(null), InstanceStatus.DELETING, "delete");
        if (backups == null || !backups.supports(i.spec().engine())) {
            throw ValidationException.of("skipFinalSnapshot", i.spec().engine() + " backups are not available yet: delete with "
                    + "--skip-final-snapshot to confirm that no final snapshot will be taken");
        }
        return backups.snapshotThen(p, i, "final", null, OperationInput.Delete::new, InstanceStatus.DELETING, "delete");
    }

    public Operation modify(Principal p, String name, io.stratum.core.instance.ModifyInstanceRequest r) {
        Instance current = find(name);
        requireWrite(p, current, "modify instances");
        InstanceModifications.Result change = modifications.plan(current, r);
        // what waits for the next reboot counts: the replicas must follow the spec it leads to
        requireReplicasFollow(current, PendingModifications.apply(current.withSpec(change.spec(), change.pending(),
                recorder.clock().instant()), recorder.clock().instant()).spec());
        int growth = change.spec().storageGiB() - current.spec().storageGiB();
        long ceilingGrowth = QuotaService.ceilingGiB(change.spec()) - QuotaService.ceilingGiB(current.spec());
        if (growth > 0) requireDisk(growth);
        return transitionWith(p, name, change.input(), InstanceStatus.MODIFYING, "modify",
                (tx, i) -> {
                    if (ceilingGrowth > 0) QuotaService.requireRoom(tx, i.spec().stack(), 0, ceilingGrowth);
                    if (r.securityGroups() != null) requireGroups(tx, change.spec().securityGroups());
                    return i.withSpec(change.spec(), change.pending(), recorder.clock().instant());
                }, change.summary());
    }

    /** Rotates the master password: staged in the secret store, set in the engine, verified, then made current. */
    public Operation rotatePassword(Principal p, String name) {
        Instance i = find(name);
        requireWrite(p, i, "rotate passwords");
        requirePrimary(i, "rotate the master password");
        var now = recorder.clock().instant();
        Operation op = OperationService.newOperation(new OperationInput.RotatePassword(), name, i.spec().stack(), now);
        recorder.record(p, tx -> {
            Instance cur = tx.instances().find(name).orElseThrow(() -> notFound(name));
            if (cur.status() != InstanceStatus.AVAILABLE && cur.status() != InstanceStatus.STORAGE_FULL) {
                throw new ConflictException("invalid-status", "instance '" + name + "' is " + cur.status().wireName()
                        + "; rotate-password needs it available");
            }
            tx.operations().insert(op);
            return new Recorder.Change<>(null, "instance/" + name, cur.spec().stack(), "instance.rotate-password", null);
        });
        runner.submit(op);
        return op;
    }

    public MasterCredentials masterCredentials(Principal p, String name) {
        Instance i = find(name);
        requireWrite(p, i, "read master credentials");
        String password = Credentials.password(secrets.currentValue(Credentials.masterSecret(i.spec())));
        recorder.record(p, tx -> new Recorder.Change<>(null, "instance/" + name, i.spec().stack(), "instance.credentials-read", null));
        return new MasterCredentials(i.spec().engine(), placement.endpointHost(), i.spec().port(), i.spec().masterUser(), password,
                i.spec().database());
    }

    /** The networks {@code i} admits now, each with why (for {@code db show}). */
    public List<io.stratum.core.network.IngressRule> ingress(Instance i) {
        return firewall.ingress(i.spec());
    }

    /** {@code kernel+engine}, or {@code engine-only} without root or nft. */
    public io.stratum.core.network.Enforcement enforcement() {
        return firewall.enforcement();
    }

    public String endpointHost() {
        return placement.endpointHost();
    }

    private Operation transition(Principal p, String name, OperationInput input, InstanceStatus to, String verb) {
        Instance i = find(name);
        requireWrite(p, i, verb + " instances");
        return transitionWith(p, name, input, to, verb, (tx, x) -> x, null);
    }

    Operation transitionWith(Principal p, String name, OperationInput input, InstanceStatus to, String verb,
                             java.util.function.BiFunction<io.stratum.core.port.StoreTx, Instance, Instance> change, String detail) {
        var now = recorder.clock().instant();
        Operation op = OperationService.newOperation(input, name, find(name).spec().stack(), now);
        recorder.record(p, tx -> {
            Instance i = tx.instances().find(name).orElseThrow(() -> notFound(name));
            if (!i.status().canMoveTo(to)) {
                throw new ConflictException("invalid-status", "instance '" + name + "' is " + i.status().wireName()
                        + "; " + verb + " is not possible in that status");
            }
            // what a delete was decided on still holds: a source has no replica (one may have been created since), and a
            // replica deleted without a final snapshot is still a replica (it may have been promoted since)
            if (input instanceof OperationInput.Delete d) {
                if (d.replicaOf() != null && !i.spec().isReplica()) {
                    throw new ConflictException("invalid-status", "instance '" + name + "' was promoted meanwhile: delete it again "
                            + "(a final snapshot applies now)");
                }
                if (d.replicaOf() == null) requireNoReplicas(tx.instances().replicasOf(name), name);
            }
            tx.instances().update(change.apply(tx, i).withStatus(to, i.lastError(), now));
            tx.operations().insert(op);
            return new Recorder.Change<>(null, "instance/" + name, i.spec().stack(), "instance." + verb, detail);
        });
        runner.submit(op);
        return op;
    }

    /**
     * Without per-instance OS users every engine runs as the control plane's user, so one tenant's engine could reach
     * another's files: instances of a second stack are refused (Stratum's own scratch instances, outside any stack, are
     * not a tenant) unless the server runs with {@code --single-tenant}.
     */
    private static void requireOneTenant(io.stratum.core.port.StoreTx tx, InstanceSpec spec) {
        if (spec.stack() == null) return;
        tx.instances().list().stream().map(i -> i.spec().stack()).filter(s -> s != null && !s.equals(spec.stack())).findFirst()
                .ifPresent(other -> {
                    throw new ConflictException("not-isolated", "instances of stack '" + spec.stack() + "' cannot run next to stack '"
                            + other + "''s: this control plane does not run as root, so all instances share its OS user and could "
                            + "read each other's data. Run Stratum as root (each instance then gets an OS user of its own), or start "
                            + "the server with --single-tenant if every stack here trusts every other");
                });
    }

    /** The login Stratum administers {@code i} with (its OS user's name), which no tenant's user may take. */
    String adminLogin(Instance i) {
        return placement.osUsers(i.name()).adminName();
    }

    /** How {@code db show} describes the instance's isolation: its OS user, and whether it shares it. */
    public record Isolation(String osUser, String level) {}

    public Isolation isolation(Instance i) {
        io.stratum.core.engine.OsUsers u = placement.osUsers(i.name());
        if (!placement.isolatesInstances()) {
            return new Isolation(u.control(), "none: the control plane does not run as root; instances share its OS user and are "
                    + "not isolated from each other or from it");
        }
        return u.isolated() ? new Isolation(u.engine(), "own-os-user")
                : new Isolation(u.engine(), "shared-os-user: created before per-instance users; 'stratum db reboot " + i.name()
                        + "' moves it to an OS user of its own");
    }

    /** Storage asked for (or added) must fit the free space where instances live: 400 naming the field otherwise. */
    private void requireDisk(long gib) {
        long free = placement.usableBytes();
        if (gib * (1L << 30) > free) {
            throw ValidationException.of("storage", gib + " GiB asked for, but only " + String.format("%.1f", free / (double) (1L << 30))
                    + " GiB are free where instances live: ask for less, or free space first");
        }
    }

    /**
     * A restore of {@code b} by an engine that unpacks the whole dump next to the instance before loading it
     * ({@code STAGED_RESTORE}) needs room for the dump and for what is loaded from it (about as much again; the dump is
     * removed only after the load), beside the headroom instances keep: 409 before anything is created or emptied
     * otherwise (a restore that filled the disk would stop every instance on it from writing). The answer names what
     * the restore needs, not how much the host has free.
     */
    public void requireRoomToStage(io.stratum.core.backup.Backup b) {
        if (!engines.get(b.engine()).capabilities().contains(io.stratum.core.engine.Capability.STAGED_RESTORE)) return;
        long needed = 2 * b.dumpBytes();
        if (placement.leavesHeadroom(needed)) return;
        throw new ConflictException("insufficient-space", "backup " + b.id() + " needs about " + gib(needed) + " GiB where instances live "
                + "(its dump, unpacked next to the instance, and the data loaded from it), beside 1 GiB and a tenth of the disk that "
                + "always stay free, and the disk lacks that room: free space first (nothing was created)");
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }

    /** Checked in the transaction that attaches them, so a group cannot be deleted in between. */
    private static void requireGroups(io.stratum.core.port.StoreTx tx, List<String> groups) {
        List<String> missing = groups.stream().filter(g -> tx.securityGroups().find(g).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw ValidationException.of("securityGroups", "security group '" + missing.get(0) + "' does not exist: create it with "
                    + "'stratum sg create " + missing.get(0) + "' (see 'stratum sg list')");
        }
    }

    Instance find(String name) {
        io.stratum.core.validation.ResourceNames.require("name", name);
        return recorder.store().read(tx -> tx.instances().find(name)).orElseThrow(() -> notFound(name));
    }

    /**
     * What changes a database's contents or users is done on a read replica's source (the replica follows it): 409 naming
     * the source otherwise.
     */
    static void requirePrimary(Instance i, String action) {
        if (!i.spec().isReplica()) return;
        throw new ConflictException("read-replica", "instance '" + i.name() + "' is a read replica of '" + i.spec().source() + "': "
                + action + " on '" + i.spec().source() + "' (the replica follows it), or promote the replica first");
    }

    /**
     * A change keeps every replica able to follow its source (a PostgreSQL standby needs some settings at least its
     * primary's): the new spec checked against its source, or against each of its replicas.
     */
    private void requireReplicasFollow(Instance current, InstanceSpec changed) {
        var engine = engines.get(current.spec().engine());
        recorder.store().read(tx -> {
            if (changed.isReplica()) {
                tx.instances().find(changed.source()).flatMap(src -> engine.replicaProblem(src.spec(), changed)).ifPresent(problem -> {
                    throw ValidationException.of("class", problem);
                });
            }
            for (Instance replica : tx.instances().replicasOf(current.name())) {
                engine.replicaProblem(changed, replica.spec()).ifPresent(problem -> {
                    throw ValidationException.of("class", "read replica '" + replica.name() + "' could not follow: " + problem
                            + " (change the replica first)");
                });
            }
            return null;
        });
    }

    /** RDS: a source instance is deleted only once its read replicas are promoted or deleted. */
    static void requireNoReplicas(List<Instance> replicas, String name) {
        if (replicas.isEmpty()) return;
        String names = String.join(", ", replicas.stream().map(Instance::name).toList());
        throw new ConflictException("has-replicas", "instance '" + name + "' has read replicas (" + names + "): promote them with "
                + "'stratum db promote NAME --confirm NAME' or delete them first");
    }

    /** Deletion protection refuses anything that destroys the instance's data (delete, restore into it). */
    static void requireUnprotected(Instance i) {
        if (i.spec().deletionProtection()) {
            throw new ConflictException("deletion-protection", "instance '" + i.name() + "' has deletion protection on: turn it off "
                    + "first with 'stratum db modify " + i.name() + " --no-deletion-protection'");
        }
    }

    static void requireWrite(Principal p, Instance i, String action) {
        if (!p.sees(i.spec().stack())) throw notFound(i.name());
        if (i.spec().stack() == null) p.requireAdmin(action + " outside any stack");
        else p.requireWrite(i.spec().stack(), action);
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("instance '" + name + "' does not exist (see 'stratum db list')");
    }
}
