package io.stratum.server;

import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.home.StratumHome;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.model.Operation;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.port.Tunnels;
import io.stratum.core.reconcile.FirewallSync;
import io.stratum.core.reconcile.IngressChanges;
import io.stratum.core.reconcile.InstanceLocks;
import io.stratum.core.reconcile.InstanceWorkflow;
import io.stratum.core.reconcile.OperationRunner;
import io.stratum.core.reconcile.Supervisor;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.service.BackupService;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.ExternalService;
import io.stratum.core.service.InstanceService;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import io.stratum.server.security.MasterKeyRotation;
import io.stratum.server.security.MasterKeyring;
import io.stratum.store.JdbiMetadataStore;
import io.stratum.testkit.fakes.CallerRuns;
import io.stratum.testkit.fakes.FakeEngine;
import io.stratum.testkit.fakes.FakeFirewall;
import io.stratum.testkit.fakes.FakePlacement;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Stratum's control plane (store, secrets, workflow, runner, supervisor, instance and backup services) wired as the
 * server wires it, on a real SQLite store and a real backup directory, with the engine, the placement and the kernel
 * table faked in memory. Operations run in the caller's thread, so a test sees each one finish, fail or crash before
 * its call returns. {@link #restart} is a new control plane on the same store, engines and files (after a crash).
 */
final class FakeControlPlane implements AutoCloseable {
    final Path root;
    final FakeEngine engine;
    final FakePlacement placement;
    final FakeFirewall firewallTable;
    final MetadataStore store;
    final Recorder recorder;
    final SecretService secrets;
    final InstanceWorkflow workflow;
    final OperationRunner runner;
    final InstanceService instances;
    final BackupService backups;
    final Supervisor supervisor;
    final IngressChanges ingress;
    final io.stratum.core.service.SecurityGroupService groups;
    final Interrupting interruptions;

    final Clock clock;

    private FakeControlPlane(Path root, FakeEngine engine, FakePlacement placement, FakeFirewall firewallTable, Clock clock) {
        this.clock = clock;
        this.root = root;
        this.engine = engine;
        this.placement = placement;
        this.firewallTable = firewallTable;
        StratumHome home = new StratumHome(root);
        MasterKeyring keyring = MasterKeyRotation.load(home);
        this.interruptions = new Interrupting(JdbiMetadataStore.open(null, root.resolve("stratum.db"), null));
        this.store = interruptions;
        this.recorder = new Recorder(new SealingGuardedStore(store, keyring), new EventBus(), clock);
        this.secrets = new SecretService(recorder, keyring);
        EngineRegistry engines = new EngineRegistry(List.of(engine));
        InstanceLocks locks = new InstanceLocks();
        FirewallSync firewall = new FirewallSync(recorder, firewallTable, "127.0.0.1");
        BackupWiring backupParts = new BackupWiring(recorder, keyring, secrets, root);
        this.workflow = new InstanceWorkflow(recorder, engines, placement, secrets, ctx -> false, locks, firewall, backupParts.steps,
                io.stratum.core.reconcile.StepListener.NONE);
        this.runner = new OperationRunner(workflow, recorder, 2, stack -> 2, new CallerRuns());
        this.ingress = new IngressChanges(recorder, engines, workflow, locks, firewall);
        this.groups = new io.stratum.core.service.SecurityGroupService(recorder, ingress);
        this.supervisor = new Supervisor(recorder, engines, placement, locks, workflow, ctx -> false, Duration.ofMinutes(1), firewall,
                ingress, Duration.ofHours(1));
        ExternalService externals = new ExternalService(recorder, secrets, engines, NO_TUNNELS, root.resolve("externals"));
        this.instances = new InstanceService(recorder, engines, placement, secrets, runner, firewall, 30000, 39999, false);
        this.backups = backupParts.services(instances, externals, runner, locks).backups();
        instances.useBackups(backups);
    }

    static FakeControlPlane start(Path root) {
        return start(root, Clock.systemUTC());
    }

    /** With a clock the test moves (the supervisor's backoff, storage samples). */
    static FakeControlPlane start(Path root, Clock clock) {
        return new FakeControlPlane(root, new FakeEngine(), new FakePlacement(root.resolve("instances")), new FakeFirewall(), clock);
    }

    /** A new control plane on the same store, engine processes, directories and kernel table; unfinished operations resume. */
    FakeControlPlane restart() {
        close();
        FakeControlPlane next = new FakeControlPlane(root, engine, placement, firewallTable, clock);
        next.runner.resumeUnfinished();
        return next;
    }

    Operation create(String name) {
        return instances.create(SystemActor.PRINCIPAL, request(name));
    }

    static CreateInstanceRequest request(String name) {
        return new CreateInstanceRequest(name, FakeEngine.NAME, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, Map.of(), null, null);
    }

    Operation operation(String id) {
        return store.read(tx -> tx.operations().find(id)).orElseThrow();
    }

    java.util.Optional<Instance> instance(String name) {
        return store.read(tx -> tx.instances().find(name));
    }

    List<String> events(String action) {
        return store.read(tx -> tx.events().listLatest(10_000)).stream().filter(e -> e.action().equals(action))
                .map(e -> e.resource() + " " + (e.detail() == null ? "" : e.detail())).toList();
    }

    @Override
    public void close() {
        runner.close();
        store.close();
    }

    /**
     * The store, which can interrupt the next operation of a type just after it records that it is at a position: with a
     * {@link io.stratum.testkit.fakes.Faults.Crash} (the control plane killed there: nothing else runs) or with a failure
     * (the step fails; its recovery runs).
     */
    static final class Interrupting extends ForwardingStore {
        private volatile Interruption armed;

        private record Interruption(io.stratum.core.model.OperationType type, int position, Throwable thrown) {}

        Interrupting(MetadataStore store) {
            super(store);
        }

        void at(io.stratum.core.model.OperationType type, int position, Throwable thrown) {
            armed = new Interruption(type, position, thrown);
        }

        boolean pending() {
            return armed != null;
        }

        @Override
        public <T> T inTransaction(java.util.function.Function<io.stratum.core.port.StoreTx, T> work) {
            T result = store.inTransaction(work);
            Interruption a = armed;
            if (a != null && result instanceof Operation op && op.type() == a.type() && op.position() == a.position()
                    && op.state() == io.stratum.core.model.OperationState.RUNNING) {
                armed = null;
                if (a.thrown() instanceof RuntimeException r) throw r;
                throw (Error) a.thrown();
            }
            return result;
        }
    }

    private static final Tunnels NO_TUNNELS = new Tunnels() {
        @Override
        public int open(String name, io.stratum.core.external.SshTarget target, String privateKey, String remoteHost, int remotePort,
                        int localPort, java.util.function.BiConsumer<String, String> onChange) {
            throw new UnsupportedOperationException("no tunnels in fast tests");
        }

        @Override
        public String hostKeyOf(io.stratum.core.external.SshTarget target, String privateKey) {
            throw new UnsupportedOperationException("no tunnels in fast tests");
        }

        @Override
        public boolean up(String name) {
            return false;
        }

        @Override
        public void close(String name) {}
    };
}
