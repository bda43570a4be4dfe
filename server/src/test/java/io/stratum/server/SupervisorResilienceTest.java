package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.OsUsers;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.network.Enforcement;
import io.stratum.core.port.Firewall;
import io.stratum.core.port.InstanceCertificates;
import io.stratum.core.port.Placement;
import io.stratum.core.reconcile.BackupSteps;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.reconcile.FirewallSync;
import io.stratum.core.reconcile.IngressChanges;
import io.stratum.core.reconcile.InstanceLocks;
import io.stratum.core.reconcile.InstanceWorkflow;
import io.stratum.core.reconcile.Supervisor;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.MasterKeyring;
import io.stratum.store.JdbiMetadataStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One instance whose check throws anything, an Error included, never stops the supervision of the others. */
class SupervisorResilienceTest {
    @TempDir
    Path home;

    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
            case "hashCode" -> 1;
            case "equals" -> p == a[0];
            case "toString" -> "fake " + type.getSimpleName();
            default -> answer.apply(m.getName(), a);
        });
    }

    @Test
    void anErrorInOneInstancesCheckLeavesTheOthersSupervised() throws Exception {
        try (JdbiMetadataStore store = JdbiMetadataStore.open(null, home.resolve("stratum.db"), null)) {
            Recorder recorder = new Recorder(store, new EventBus(), Clock.systemUTC());
            SecretService secrets = new SecretService(recorder, new MasterKeyring(MasterKey.generate()));
            Set<String> started = ConcurrentHashMap.newKeySet();
            EngineProvider engine = fake(EngineProvider.class, (method, a) -> switch (method) {
                case "name" -> "postgres";
                case "observe" -> {
                    if (((InstanceContext) a[0]).spec().name().equals("broken")) throw new AssertionError("a bug in one check");
                    yield ProcessState.DEAD;
                }
                case "start" -> started.add(((InstanceContext) a[0]).spec().name());
                // a dead engine does not answer until it is started again
                case "verifyConnection" -> {
                    if (!started.contains(((InstanceContext) a[0]).spec().name())) throw new IllegalStateException("connection refused");
                    yield null;
                }
                case "logTail" -> List.of();
                case "pid" -> 42L;
                default -> null;
            });
            Placement placement = fake(Placement.class, (method, a) -> switch (method) {
                case "context" -> new InstanceContext(((Instance) a[0]).spec(), home, home, "127.0.0.1", "127.0.0.1", OsUsers.self("root"),
                        (String) a[1], (String) a[2], List.of(), List.of());
                case "endpointHost" -> "127.0.0.1";
                default -> null;
            });
            Firewall firewall = fake(Firewall.class, (method, a) -> switch (method) {
                case "enforcement" -> Enforcement.ENGINE_ONLY;
                case "intact" -> true;
                case "rulesFor" -> List.of();
                default -> null;
            });
            EngineRegistry engines = new EngineRegistry(List.of(engine));
            InstanceLocks locks = new InstanceLocks();
            FirewallSync sync = new FirewallSync(recorder, firewall, "127.0.0.1");
            InstanceCertificates certs = fake(InstanceCertificates.class, (m, a) -> false);
            InstanceWorkflow workflow = new InstanceWorkflow(recorder, engines, placement, secrets, certs, locks, sync,
                    new BackupSteps(recorder, null, null), io.stratum.core.reconcile.StepListener.NONE);
            Supervisor supervisor = new Supervisor(recorder, engines, placement, locks, workflow, certs, Duration.ofHours(1), sync,
                    new IngressChanges(recorder, engines, workflow, locks, sync), Duration.ofHours(1));
            for (String name : List.of("broken", "healthy")) {
                InstanceSpec spec = InstanceSpec.builder(name, "postgres").version("15").instanceClass(InstanceClass.SMALL).storage(5, 5)
                        .port(name.length() + 20000).database("app").masterUser("app").backupPolicy(7, "03:00-03:30").tls("off").build();
                store.inTransaction(tx -> {
                    tx.instances().insert(new Instance(spec, InstanceStatus.AVAILABLE, Map.of(), null, 0, false, Instant.now(), Instant.now()));
                    secrets.createManaged(tx, Credentials.masterSecret(spec), Credentials.masterValue(spec, "127.0.0.1", "pw"), Map.of());
                    secrets.createManaged(tx, Credentials.adminSecret(spec), Credentials.adminValue("admin-pw"), Map.of());
                    return null;
                });
            }
            supervisor.resync();
            assertThat(started).as("the healthy instance's crashed engine was restarted").containsExactly("healthy");
            supervisor.close();
        }
    }
}
