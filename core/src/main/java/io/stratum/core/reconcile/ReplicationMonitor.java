package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.engine.ReplicationState;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.service.Recorder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes every available read replica from its source (every {@code period}, 2 s in the server): lag in bytes and
 * seconds for {@code db show}, and an event when a replica stops replicating, falls more than {@link #LAGGING_SECONDS}
 * behind, or recovers. A replica whose source no longer keeps what it needs (slot lost) goes {@code failed} with the reason.
 */
public final class ReplicationMonitor {
    /** Lag beyond which a replica is reported as lagging (an event); back under {@link #CAUGHT_UP_SECONDS}, as caught up. */
    public static final double LAGGING_SECONDS = 10;
    static final double CAUGHT_UP_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final InstanceWorkflow workflow;
    private final InstanceLocks locks;
    private final Map<String, Observation> latest = new ConcurrentHashMap<>();

    /**
     * What was last seen of a replica, and when; {@code lagging}: reported as lagging and not caught up since;
     * {@code progressAt}: when its replay position last moved (or it was caught up).
     */
    public record Observation(ReplicationState state, Instant at, boolean lagging, Instant progressAt) {}

    public ReplicationMonitor(Recorder recorder, EngineRegistry engines, InstanceWorkflow workflow, InstanceLocks locks) {
        this.recorder = recorder;
        this.engines = engines;
        this.workflow = workflow;
        this.locks = locks;
    }

    public Optional<Observation> latest(String replica) {
        return Optional.ofNullable(latest.get(replica));
    }

    /** One pass over every replica; one replica's trouble never stops the others'. Then slots left behind are dropped. */
    public void observeAll() {
        List<Instance> all = recorder.store().read(tx -> tx.instances().list());
        for (Instance replica : all) {
            if (!replica.spec().isReplica()) {
                latest.remove(replica.name());
                continue;
            }
            try {
                observe(replica);
            } catch (RuntimeException e) {
                LOG.warn("observing replica {} failed: {}", replica.name(), e.toString());
            }
        }
        latest.keySet().removeIf(name -> workflow.load(name).map(i -> !i.spec().isReplica()).orElse(true));
        if (firstPass) {
            // after a restart: whatever slots a source kept for replicas that are gone (a drop skipped before the restart)
            all.stream().filter(i -> !i.spec().isReplica()).forEach(i -> workflow.slotsToClean().add(i.name()));
            firstPass = false;
        }
        for (String source : List.copyOf(workflow.slotsToClean())) {
            try {
                if (workflow.keepOnlyCurrentSlots(source)) workflow.slotsToClean().remove(source);
            } catch (RuntimeException e) {
                LOG.warn("dropping the replication slots {} keeps for replicas that are gone failed: {}", source, e.toString());
            }
        }
    }

    private boolean firstPass = true;

    private void observe(Instance replica) {
        if (replica.status() != InstanceStatus.AVAILABLE && replica.status() != InstanceStatus.STORAGE_FULL) {
            latest.remove(replica.name());
            return;
        }
        Optional<Instance> source = workflow.load(replica.spec().source());
        EngineProvider engine = engines.get(replica.spec().engine());
        ReplicationState state;
        if (source.isEmpty()) {
            state = ReplicationState.unknown("its source '" + replica.spec().source() + "' is gone");
        } else {
            InstanceContext sourceCtx = workflow.context(source.get());
            state = engine.observe(sourceCtx) != ProcessState.RUNNING
                    ? ReplicationState.unknown("its source '" + source.get().name() + "' is " + source.get().status().wireName()
                    + " and not running")
                    : engine.replicationState(sourceCtx, workflow.context(replica));
        }
        Observation before = latest.get(replica.name());
        Instant now = recorder.clock().instant();
        // a replay that stands still while the source moves on is behind by the time since it last moved, whatever the
        // walsender's last measured lag says (it measures only what the replica acknowledges)
        boolean stalled = before != null && state.streaming() && state.lagBytes() > 0 && state.replayed() >= 0
                && state.replayed() == before.state().replayed();
        Instant progressAt = stalled ? before.progressAt() : now;
        if (stalled) state = state.withLagSeconds(Math.max(state.lagSeconds(), java.time.Duration.between(progressAt, now).toMillis() / 1000.0));
        boolean lagging = state.lagSeconds() > LAGGING_SECONDS
                || (before != null && before.lagging() && !(state.streaming() && state.lagSeconds() <= CAUGHT_UP_SECONDS));
        latest.put(replica.name(), new Observation(state, now, lagging, progressAt));
        report(replica, before, state, lagging);
    }

    private void report(Instance replica, Observation before, ReplicationState state, boolean lagging) {
        boolean wasStreaming = before == null || before.state().streaming();
        if (state.slotLost()) {
            fail(replica, state.reason());
        } else if (wasStreaming && !state.streaming()) {
            event(replica, "replica.replication-stopped", state.reason());
        } else if (before != null && !before.state().streaming() && state.streaming()) {
            event(replica, "replica.replication-resumed", "streaming from " + replica.spec().source() + " again");
        }
        boolean wasLagging = before != null && before.lagging();
        if (lagging && !wasLagging) {
            event(replica, "replica.lagging", String.format(java.util.Locale.ROOT, "%.1f s and %d bytes behind %s (more than %.0f s)",
                    state.lagSeconds(), state.lagBytes(), replica.spec().source(), LAGGING_SECONDS));
        } else if (!lagging && wasLagging) {
            event(replica, "replica.caught-up", String.format(java.util.Locale.ROOT, "%.1f s behind %s", state.lagSeconds(),
                    replica.spec().source()));
        }
    }

    /** A replica that can no longer catch up is failed (under its lock, so no operation is running on it). */
    private void fail(Instance replica, String reason) {
        ReentrantLock lock = locks.of(replica.name());
        if (!lock.tryLock()) return;
        try {
            Instance fresh = workflow.load(replica.name()).orElse(null);
            if (fresh == null || !fresh.status().canMoveTo(InstanceStatus.FAILED) || fresh.status() == InstanceStatus.FAILED) return;
            workflow.setStatus(replica.name(), InstanceStatus.FAILED, reason, "replica.failed", reason);
            latest.remove(replica.name());
        } finally {
            lock.unlock();
        }
    }

    private void event(Instance replica, String action, String detail) {
        recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + replica.name(), replica.spec().stack(),
                action, detail));
    }
}
