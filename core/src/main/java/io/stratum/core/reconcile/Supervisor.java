package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.port.Placement;
import io.stratum.core.service.Recorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic resync: rebuilds a kernel table that was flushed or edited, retries engine rules that could not be
 * applied, restarts crashed engines (with backoff; {@code failed} with the log tail after {@link #MAX_RESTARTS} tries), adopts running ones after a control-plane restart without touching them, samples
 * storage, grows it within the maximum, and makes a full instance read-only until storage is raised.
 */
public final class Supervisor implements AutoCloseable {
    public static final int MAX_RESTARTS = 5;
    /** How {@code lastError} starts while an instance is read-only because its storage is full. */
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final Placement placement;
    private final InstanceLocks locks;
    private final InstanceWorkflow workflow;
    private final io.stratum.core.port.InstanceCertificates certificates;
    private final Duration storageInterval;
    private final FirewallSync firewall;
    private final IngressChanges ingress;
    private final Duration firewallInterval;
    private Instant lastFirewallCheck = Instant.EPOCH;
    private final Map<String, Restarts> restarts = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastStorageSample = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });

    private record Restarts(int failures, Instant notBefore) {}

    public Supervisor(Recorder recorder, EngineRegistry engines, Placement placement, InstanceLocks locks,
                      InstanceWorkflow workflow, io.stratum.core.port.InstanceCertificates certificates, Duration storageInterval,
                      FirewallSync firewall, IngressChanges ingress, Duration firewallInterval) {
        this.firewall = firewall;
        this.ingress = ingress;
        this.firewallInterval = firewallInterval;
        this.certificates = certificates;
        this.recorder = recorder;
        this.engines = engines;
        this.placement = placement;
        this.locks = locks;
        this.workflow = workflow;
        this.storageInterval = storageInterval;
    }

    public void start(Duration period) {
        timer.scheduleWithFixedDelay(this::resyncSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Nothing escapes a pass (an Error would cancel the scheduled task: supervision would stop for good). */
    private void resyncSafely() {
        try {
            resync();
        } catch (Throwable e) {
            LOG.warn("resync failed: {}", e.toString(), e);
        }
    }

    /** One pass: the kernel table (every firewall interval), pending engine rules, every instance that should run. */
    public void resync() {
        Instant now = recorder.clock().instant();
        if (!now.isBefore(lastFirewallCheck.plus(firewallInterval))) {
            lastFirewallCheck = now;
            try {
                firewall.repairIfNeeded();
            } catch (RuntimeException e) {
                LOG.warn("checking the firewall table failed: {}", e.toString());
            }
        }
        ingress.retryPending();
        List<Instance> instances = recorder.store().read(tx -> tx.instances().list());
        for (Instance i : instances) {
            if (i.status() != InstanceStatus.AVAILABLE && i.status() != InstanceStatus.STORAGE_FULL) continue;
            ReentrantLock lock = locks.of(i.name());
            if (!lock.tryLock()) continue;
            try {
                Instance fresh = workflow.load(i.name()).orElse(null);
                if (fresh == null || (fresh.status() != InstanceStatus.AVAILABLE && fresh.status() != InstanceStatus.STORAGE_FULL)) {
                    continue;
                }
                EngineProvider engine = engines.get(fresh.spec().engine());
                InstanceContext ctx = workflow.context(fresh);
                if (engine.observe(ctx) != ProcessState.RUNNING) {
                    recover(fresh, engine, ctx);
                } else {
                    restarts.remove(fresh.name());
                    renewCertificate(fresh, engine, ctx);
                    sampleStorage(fresh, engine, ctx);
                    rotateLogs(fresh, engine, ctx);
                }
            } catch (Throwable e) {
                // one instance's trouble (even an Error) never stops the others' supervision
                LOG.warn("supervising {} failed: {}", i.name(), e.toString(), e);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A certificate close to expiry is renewed and reloaded without restarting the engine. */
    private void renewCertificate(Instance i, EngineProvider engine, InstanceContext ctx) {
        if (!ctx.tlsOn() || !certificates.ensure(ctx)) return;
        engine.reloadTls(ctx);
        event(i, "instance.certificate-renewed", "reloaded without a restart (pid " + engine.pid(ctx) + ")");
    }

    private void recover(Instance i, EngineProvider engine, InstanceContext ctx) {
        Restarts r = restarts.getOrDefault(i.name(), new Restarts(0, Instant.EPOCH));
        Instant now = recorder.clock().instant();
        if (now.isBefore(r.notBefore())) return;
        if (answers(engine, ctx)) {
            // the engine runs and answers, but its pid file names another process (rewritten by the engine's user): not a
            // crash. Starting another engine would clear its socket and pid file and leave the running one orphaned.
            if (pidMismatchReported.add(i.name())) {
                event(i, "instance.pid-file-mismatch", "the engine answers but its pid file does not name it; not restarted");
            }
            return;
        }
        pidMismatchReported.remove(i.name());
        if (r.failures() == 0) {
            event(i, "instance.crashed", "engine process gone; restarting. Log: " + lastLine(engine, ctx));
        }
        try {
            engine.start(ctx);
            engine.verifyConnection(ctx);
            restarts.remove(i.name());
            event(i, "instance.recovered", "engine restarted (pid " + engine.pid(ctx) + ")");
        } catch (RuntimeException e) {
            int failures = r.failures() + 1;
            if (failures >= MAX_RESTARTS) {
                restarts.remove(i.name());
                String tail = String.join("\n", engine.logTail(ctx, 20));
                workflow.setStatus(i.name(), InstanceStatus.FAILED, "engine keeps crashing (" + failures + " restarts failed): "
                        + e.getMessage() + "\n" + tail, "instance.failed", "gave up after " + failures + " restarts");
                return;
            }
            long backoff = Math.min(30, 1L << failures);
            restarts.put(i.name(), new Restarts(failures, now.plusSeconds(backoff)));
            event(i, "instance.restart-failed", "attempt " + failures + ": " + e.getMessage() + "; next in " + backoff + " s");
        }
    }

    private final java.util.Set<String> pidMismatchReported = ConcurrentHashMap.newKeySet();

    private static boolean answers(EngineProvider engine, InstanceContext ctx) {
        try {
            engine.verifyConnection(ctx);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void sampleStorage(Instance i, EngineProvider engine, InstanceContext ctx) {
        Instant now = recorder.clock().instant();
        Instant last = lastStorageSample.get(i.name());
        if (last != null && now.isBefore(last.plus(storageInterval))) return;
        lastStorageSample.put(i.name(), now);
        long used = placement.usedBytes(ctx);
        var plan = StoragePlanner.plan(i.spec().storageGiB(), i.spec().maxStorageGiB(), used, i.status() == InstanceStatus.STORAGE_FULL,
                placement.usableBytes());
        if (plan.action() == StoragePlanner.Action.NONE) {
            recorder.store().inTransaction(tx -> {
                tx.instances().find(i.name()).ifPresent(cur -> tx.instances().update(cur.withStorageUsed(used, now)));
                return null;
            });
            return;
        }
        // the engine is changed before the short transaction that records it, never inside one
        // a replica refuses writes anyway, and what its engine holds is its source's
        if (i.spec().isReplica()) {
            // nothing to switch
        } else if (plan.action() == StoragePlanner.Action.MARK_FULL) {
            engine.setReadOnly(ctx, true);
        } else if (plan.action() != StoragePlanner.Action.GROW) {
            engine.setReadOnly(ctx, false);
        }
        recorder.record(SystemActor.PRINCIPAL, tx -> {
            Instance cur = tx.instances().find(i.name()).orElseThrow();
            Instance next = cur.withStorageUsed(used, now);
            String action;
            String detail = used + " bytes used of " + cur.spec().storageGiB() + " GiB";
            switch (plan.action()) {
                case GROW -> {
                    // planned from an earlier read: a maximum lowered meanwhile (db modify) still bounds it
                    int grown = Math.max(cur.spec().storageGiB(), Math.min(plan.newAllocatedGiB(), cur.spec().maxStorageGiB()));
                    next = next.withSpec(cur.spec().withStorage(grown, cur.spec().maxStorageGiB()), cur.pending(), now);
                    action = "storage.autoscaled";
                    detail = "allocated storage grown from " + cur.spec().storageGiB() + " to " + grown
                            + " GiB (" + used + " bytes used, max " + cur.spec().maxStorageGiB() + " GiB)";
                }
                case MARK_FULL -> {
                    next = next.withStatus(InstanceStatus.STORAGE_FULL, "storage full: " + used + " bytes used of "
                            + cur.spec().storageGiB() + " GiB and no room under the maximum"
                            + (cur.spec().storageGiB() < cur.spec().maxStorageGiB() ? " (the disk has no more free space)" : "")
                            + "; raise it with "
                            + "'stratum db modify " + i.name() + " --storage N'", now);
                    action = "instance.storage-full";
                }
                default -> {
                    next = next.withStatus(InstanceStatus.AVAILABLE, null, now);
                    action = "instance.storage-recovered";
                }
            }
            tx.instances().update(next);
            return new Recorder.Change<>(null, "instance/" + i.name(), i.spec().stack(), action, detail);
        });
    }

    /** Engine logs are kept bounded: checked once a minute, each rolled to NAME.1 past {@link #MAX_ENGINE_LOG} bytes. */
    static final long MAX_ENGINE_LOG = 10L << 20;
    private final Map<String, Instant> lastLogCheck = new ConcurrentHashMap<>();

    private void rotateLogs(Instance i, EngineProvider engine, InstanceContext ctx) {
        Instant now = recorder.clock().instant();
        Instant last = lastLogCheck.get(i.name());
        if (last != null && now.isBefore(last.plusSeconds(60))) return;
        lastLogCheck.put(i.name(), now);
        engine.rotateLogs(ctx, MAX_ENGINE_LOG);
    }

    private void event(Instance i, String action, String detail) {
        recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + i.name(), i.spec().stack(), action, detail));
    }

    private static String lastLine(EngineProvider engine, InstanceContext ctx) {
        List<String> tail = engine.logTail(ctx, 1);
        return tail.isEmpty() ? "(empty)" : tail.get(0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
