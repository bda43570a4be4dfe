package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.network.Enforcement;
import io.stratum.core.network.IngressRule;
import io.stratum.core.service.Recorder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a security group change to both layers right away: the kernel table first (one transaction), then each
 * attached running engine under its instance lock (pg_hba.conf and a reload, MariaDB accounts), without restarts. An
 * instance busy for longer than {@link #LOCK_WAIT_SECONDS} is retried by the supervisor. Also reports what each layer
 * enforces ({@code sg check}).
 */
public final class IngressChanges {
    static final long LOCK_WAIT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(IngressChanges.class);
    private final Recorder recorder;
    private final EngineRegistry engines;
    private final InstanceWorkflow workflow;
    private final InstanceLocks locks;
    private final FirewallSync firewall;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public IngressChanges(Recorder recorder, EngineRegistry engines, InstanceWorkflow workflow, InstanceLocks locks,
                          FirewallSync firewall) {
        this.recorder = recorder;
        this.engines = engines;
        this.workflow = workflow;
        this.locks = locks;
        this.firewall = firewall;
    }

    /** What one instance admits, per layer, as the kernel and the engine report it. */
    public record InstanceCheck(String instance, String engine, int port, String status, List<IngressRule> rules,
                                List<String> kernelLayer, List<String> engineLayer) {}

    public Enforcement enforcement() {
        return firewall.enforcement();
    }

    /** Why only the engines enforce rules (null when both layers do). */
    public String enforcementNote() {
        return firewall.unavailableReason();
    }

    /** After a group's rules changed: both layers of every instance it is attached to. */
    public void groupChanged(String group) {
        firewall.sync();
        List<Instance> attached = recorder.store().read(tx -> tx.instances().list()).stream()
                .filter(i -> i.spec().securityGroups().contains(group)).toList();
        for (Instance i : attached) applyToEngine(i.name());
    }

    /** Retries instances whose engine could not be updated earlier (called by the supervisor). */
    public void retryPending() {
        for (String name : List.copyOf(pending)) applyToEngine(name);
    }

    private void applyToEngine(String name) {
        ReentrantLock lock = locks.of(name);
        try {
            if (!lock.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                pending.add(name);
                LOG.warn("instance {} is busy; its engine rules will be updated by the next resync", name);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.add(name);
            return;
        }
        try {
            pending.remove(name);
            Instance i = workflow.load(name).orElse(null);
            if (i == null || !running(i.status())) return; // the next start writes the rules from the store
            EngineProvider engine = engines.get(i.spec().engine());
            InstanceContext ctx = workflow.context(i);
            if (engine.observe(ctx) != ProcessState.RUNNING) return;
            engine.applyIngress(ctx);
            recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "instance/" + name, i.spec().stack(),
                    "instance.ingress-applied", "admits " + ctx.ingress().stream().map(Object::toString).collect(Collectors.joining(", "))
                            + " (" + firewall.enforcement().wireName() + ", pid " + engine.pid(ctx) + " unchanged)"));
        } catch (RuntimeException e) {
            pending.add(name);
            LOG.warn("updating the engine rules of {} failed: {}", name, e.toString());
        } finally {
            lock.unlock();
        }
    }

    private static boolean running(InstanceStatus s) {
        return s == InstanceStatus.AVAILABLE || s == InstanceStatus.STORAGE_FULL || s == InstanceStatus.MODIFYING;
    }

    /** Both layers for one instance; the engine layer is read from the running engine. */
    public InstanceCheck check(Instance i) {
        List<IngressRule> rules = firewall.ingress(i.spec());
        List<String> kernel = firewall.enforcement() == Enforcement.ENGINE_ONLY ? List.of() : firewall.kernelRules(i.spec().port());
        List<String> engineRules;
        try {
            EngineProvider engine = engines.get(i.spec().engine());
            InstanceContext ctx = workflow.context(i);
            engineRules = engine.observe(ctx) == ProcessState.RUNNING ? engine.observeIngress(ctx)
                    : List.of("(engine not running: its rules are written from the groups when it starts)");
        } catch (RuntimeException e) {
            engineRules = List.of("(cannot read the engine's rules: " + e.getMessage() + ")");
        }
        return new InstanceCheck(i.name(), i.spec().engine(), i.spec().port(), i.status().wireName(), rules, kernel, engineRules);
    }
}
