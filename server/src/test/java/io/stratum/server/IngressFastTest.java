package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.testkit.fakes.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security group changes on the fakes: both layers (the kernel table and the running engine's own rules) follow a
 * group's rules at once; an engine that cannot be updated is retried by the supervisor; a stopped engine gets its rules
 * when it starts.
 */
class IngressFastTest {
    FakeControlPlane cp;

    @BeforeEach
    void start() throws Exception {
        Path shm = Path.of("/dev/shm");
        cp = FakeControlPlane.start(Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "stratum-ingress-"));
        cp.groups.create(SystemActor.PRINCIPAL, "web", "the web tier");
        cp.instances.create(SystemActor.PRINCIPAL, new CreateInstanceRequest("orders", FakeEngine.NAME, null, null, null, null, null, null,
                null, null, null, null, List.of("web"), null, null, null, Map.of(), null, null));
    }

    @AfterEach
    void stop() throws Exception {
        cp.close();
        try (var files = Files.walk(cp.root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    List<String> kernelSources() {
        int port = cp.instance("orders").orElseThrow().spec().port();
        return cp.firewallTable.rules().stream().filter(r -> r.port() == port).flatMap(r -> r.sources().stream()).map(Object::toString)
                .toList();
    }

    List<String> engineRules() {
        return cp.ingress.check(cp.instance("orders").orElseThrow()).engineLayer();
    }

    @Test
    void bothLayersFollowTheGroupAtOnce() {
        long applied = cp.engine.faults().count("applyIngress", "orders");
        cp.groups.authorize(SystemActor.PRINCIPAL, "web", "10.0.0.0/8", null);
        assertThat(kernelSources()).contains("10.0.0.0/8");
        assertThat(engineRules()).contains("admit 10.0.0.0/8");
        assertThat(cp.engine.faults().count("applyIngress", "orders")).isEqualTo(applied + 1);
        assertThat(cp.engine.faults().count("start", "orders")).as("no restart").isEqualTo(1);
        cp.groups.revoke(SystemActor.PRINCIPAL, "web", "10.0.0.0/8", null);
        assertThat(kernelSources()).doesNotContain("10.0.0.0/8");
        assertThat(engineRules()).doesNotContain("admit 10.0.0.0/8");
    }

    @Test
    void anEngineThatCouldNotBeUpdatedIsRetriedByTheSupervisor() {
        cp.engine.faults().failOn("applyIngress", 1, new IllegalStateException("engine busy"));
        cp.groups.authorize(SystemActor.PRINCIPAL, "web", "192.168.0.0/16", null);
        assertThat(kernelSources()).as("the kernel layer at once").contains("192.168.0.0/16");
        long failed = cp.engine.faults().count("applyIngress", "orders");
        cp.supervisor.resync();
        assertThat(cp.engine.faults().count("applyIngress", "orders")).as("retried").isEqualTo(failed + 1);
        assertThat(cp.events("instance.ingress-applied").stream().filter(e -> e.contains("192.168.0.0/16"))).hasSize(1);
        cp.supervisor.resync();
        assertThat(cp.engine.faults().count("applyIngress", "orders")).as("once applied, not again").isEqualTo(failed + 1);
    }

    @Test
    void aStoppedEngineGetsItsRulesWhenItStarts() {
        cp.instances.stop(SystemActor.PRINCIPAL, "orders");
        long applied = cp.engine.faults().count("applyIngress", "orders");
        cp.groups.authorize(SystemActor.PRINCIPAL, "web", "172.16.0.0/12", null);
        assertThat(cp.engine.faults().count("applyIngress", "orders")).as("not while stopped").isEqualTo(applied);
        cp.instances.start(SystemActor.PRINCIPAL, "orders");
        assertThat(cp.engine.faults().count("applyIngress", "orders")).isEqualTo(applied + 1);
        assertThat(engineRules()).contains("admit 172.16.0.0/12");
    }
}
