package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.engine.ReplicationLink;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The replication steps of instance operations: a source prepared for its replica, slots dropped, a replica detached on promotion. */
final class ReplicationSteps {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSteps.class);
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final SecretService secrets;
    private final String endpointHost;
    private final Function<Instance, InstanceContext> contexts;
    private final InstanceLocks locks;
    /** Sources whose slots for replicas that are gone could not be dropped yet (they did not run): the monitor retries. */
    final java.util.Set<String> slotsToClean = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ReplicationSteps(Recorder recorder, EngineRegistry engines, SecretService secrets, String endpointHost,
                     Function<Instance, InstanceContext> contexts, InstanceLocks locks) {
        this.locks = locks;
        this.recorder = recorder;
        this.engines = engines;
        this.secrets = secrets;
        this.endpointHost = endpointHost;
        this.contexts = contexts;
    }

    /** How replica {@code replica} (whose own context is {@code ctx}) reaches its source; empty when the source is gone. */
    Optional<ReplicationLink> link(InstanceSpec replica, String connectHost) {
        if (!replica.isReplica()) return Optional.empty();
        return load(replica.source()).map(source -> new ReplicationLink(source.name(), connectHost, source.spec().port(),
                ReplicationLink.USER, Credentials.password(secrets.currentValue(Credentials.replicationSecret(source.spec()))),
                replica.name()));
    }

    /** The source of a new replica gets its replication login and a slot for it (the source must run). */
    void prepareSource(InstanceContext replica) {
        Instance source = load(replica.spec().source()).orElseThrow(() -> new IllegalStateException("source '" + replica.spec().source()
                + "' of replica '" + replica.spec().name() + "' is gone"));
        underLock(source.name(), () -> {
            // read again under the source's lock: its rules as they are now (no change to them in flight)
            Instance current = load(source.name()).orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' is gone"));
            EngineProvider engine = engines.get(current.spec().engine());
            InstanceContext sourceCtx = contexts.apply(current);
            if (engine.observe(sourceCtx) != ProcessState.RUNNING) {
                throw new IllegalStateException("source '" + current.name() + "' is not running: start it, then create the replica again");
            }
            engine.prepareReplicationSource(sourceCtx, replica.replication());
        });
    }

    /** Runs {@code work} holding {@code instance}'s lock (a replica's step that acts on its source, as the source's operations do). */
    private void underLock(String instance, Runnable work) {
        var lock = locks.of(instance);
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the slots a running source keeps for replicas that are gone; false when it does not run (try again later).
     * Under the source's lock, so no replica create of it is between its slot and its record.
     */
    boolean keepOnlyCurrentSlots(String sourceName) {
        var lock = locks.of(sourceName);
        if (!lock.tryLock()) return false;
        try {
            Optional<Instance> source = load(sourceName);
            if (source.isEmpty()) return true;
            EngineProvider engine = engines.get(source.get().spec().engine());
            if (!engine.capabilities().contains(io.stratum.core.engine.Capability.REPLICAS)) return true;
            InstanceContext ctx = contexts.apply(source.get());
            if (engine.observe(ctx) != ProcessState.RUNNING) return false;
            java.util.Set<String> replicas = new java.util.HashSet<>(recorder.store().read(tx -> tx.instances().replicasOf(sourceName))
                    .stream().map(Instance::name).toList());
            engine.keepReplicaSlots(ctx, replicas);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The source's slot for {@code replica} goes (best effort when the source does not run: an event says the slot is left,
     * and that its WAL is bounded by the source's limit until it is dropped).
     */
    void dropSlot(String sourceName, String replica) {
        Optional<Instance> source = load(sourceName);
        if (source.isEmpty()) return;
        EngineProvider engine = engines.get(source.get().spec().engine());
        InstanceContext ctx = contexts.apply(source.get());
        if (engine.observe(ctx) != ProcessState.RUNNING) {
            LOG.warn("{}: not running, the replication slot of {} is left", sourceName, replica);
            slotsToClean.add(sourceName);
            recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + sourceName, source.get().spec().stack(),
                    "instance.replication-slot-left", "not running when replica " + replica + " went: its slot is dropped once it "
                    + "runs again; until then the WAL it holds is bounded by max_slot_wal_keep_size"));
            return;
        }
        underLock(sourceName, () -> engine.dropReplicaSlot(ctx, replica));
    }

    /**
     * After the source's users or passwords changed: each replica admits the same users again. An engine whose replicas
     * get users by replication (PostgreSQL's catalog) needs only its access rules rewritten (pg_hba); others (Redis) get
     * the users themselves. A replica that does not run gets them in its files. Best effort per replica, under its lock;
     * a replica it could not reach is an event.
     */
    void refreshReplicaUsers(String sourceName) {
        for (Instance replica : recorder.store().read(tx -> tx.instances().replicasOf(sourceName))) {
            // the source's lock is held here, and a replica's steps take the source's after their own: waiting for the
            // replica's lock for ever could deadlock with one, so a busy replica is reported instead
            var lock = locks.of(replica.name());
            try {
                if (!lock.tryLock(10, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("the replica is busy");
                try {
                    Instance current = load(replica.name()).orElse(null);
                    if (current == null) continue;
                    EngineProvider engine = engines.get(current.spec().engine());
                    InstanceContext ctx = contexts.apply(current);
                    // a replica that does not run (stopped, or crashed and about to be restarted) gets them in its files
                    if (engine.observe(ctx) != ProcessState.RUNNING) engine.writeConfig(ctx);
                    else if (engine.replicasCarryUsers()) engine.applyIngress(ctx);
                    else engine.applyUsers(ctx);
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("setting the new master password on replica {} failed: {}", replica.name(), e.toString());
                recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + replica.name(),
                        replica.spec().stack(), "replica.users-not-updated", "the source's users or passwords could not be set here: "
                        + "reboot the replica to set them (" + e.getMessage() + ")"));
            }
        }
    }

    /**
     * Promotion's record: the replica gets a master secret of its own (its source's current password, which its engine
     * has) and no source, in one transaction; idempotent.
     */
    void detach(String name) {
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Instance i = tx.instances().find(name).orElseThrow(() -> new IllegalStateException("instance " + name + " is gone"));
            if (!i.spec().isReplica()) return new Recorder.Change<>(null, "instance/" + name, i.spec().stack(), "instance.promoted", null);
            String password = Credentials.password(secrets.currentValue(Credentials.masterSecret(i.spec())));
            InstanceSpec own = i.spec().toBuilder().source(null).build();
            if (tx.secrets().find(Credentials.masterSecret(own)).isEmpty()) {
                secrets.createManaged(tx, Credentials.masterSecret(own), Credentials.masterValue(own, endpointHost, password),
                        Credentials.tags(own, "master", true));
            }
            tx.instances().update(i.withSpec(own, i.pending(), recorder.clock().instant()));
            return new Recorder.Change<>(null, "instance/" + name, i.spec().stack(), "instance.promoted", "no longer follows "
                    + i.spec().source() + "; master secret " + Credentials.masterSecret(own));
        });
    }

    /**
     * What a backup is dumped from: the instance, or its read replica {@code replica} when it still is one, runs, streams
     * from the instance and is at most {@link ReplicationMonitor#LAGGING_SECONDS} behind (the backup fails otherwise, and
     * the instance stays as it was): a backup of the instance is never an old copy of it.
     */
    InstanceContext dumpSource(Instance instance, InstanceContext own, String replica) {
        if (replica == null) return own;
        Instance r = load(replica).filter(x -> instance.name().equals(x.spec().source()))
                .orElseThrow(() -> new IllegalStateException("read replica '" + replica + "' of " + instance.name() + " is gone"));
        EngineProvider engine = engines.get(r.spec().engine());
        InstanceContext ctx = contexts.apply(r);
        if (r.status() != io.stratum.core.instance.InstanceStatus.AVAILABLE || engine.observe(ctx) != ProcessState.RUNNING) {
            throw new IllegalStateException("read replica '" + replica + "' is " + r.status().wireName() + " and not running: it cannot "
                    + "be dumped now (back up without --from-replica)");
        }
        var state = engine.replicationState(own, ctx);
        if (!state.streaming() || state.lagSeconds() > ReplicationMonitor.LAGGING_SECONDS) {
            throw new IllegalStateException("read replica '" + replica + "' is not current (" + (state.streaming()
                    ? String.format(java.util.Locale.ROOT, "%.1f s behind", state.lagSeconds()) : state.reason())
                    + "): a backup from it would be an old copy of " + instance.name() + "; back up without --from-replica");
        }
        return ctx;
    }

    /** The source a replica followed: the one a promotion detaches it from, or a deleted replica's. */
    static String sourceOf(io.stratum.core.model.OperationInput input) {
        return switch (input) {
            case io.stratum.core.model.OperationInput.Promote p -> p.source();
            case io.stratum.core.model.OperationInput.Delete d when d.replicaOf() != null -> d.replicaOf();
            default -> throw new IllegalStateException(input.type().wireName() + " has no replication source");
        };
    }

    private Optional<Instance> load(String name) {
        return recorder.store().read(tx -> tx.instances().find(name));
    }
}
