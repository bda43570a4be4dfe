package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.reconcile.Supervisor;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.testkit.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor on the fake engine, with a clock the test moves: a crashed engine is restarted, a restart that keeps
 * failing is retried with growing pauses and then gives the instance up as failed with the log, and storage that fills
 * up makes the instance read-only and grows it when it may.
 */
class SupervisorFastTest {
    FakeControlPlane cp;
    final SettableClock clock = new SettableClock();

    @BeforeEach
    void start() throws Exception {
        Path shm = Path.of("/dev/shm");
        cp = FakeControlPlane.start(Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "stratum-supervisor-"), clock);
    }

    @AfterEach
    void stop() throws Exception {
        cp.close();
        try (var files = Files.walk(cp.root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    InstanceStatus status(String name) {
        return cp.instance(name).orElseThrow().status();
    }

    @Test
    void aCrashedEngineIsRestarted() {
        cp.create("orders");
        cp.engine.kill("orders");
        cp.supervisor.resync();
        assertThat(cp.engine.running("orders")).isTrue();
        assertThat(status("orders")).isEqualTo(InstanceStatus.AVAILABLE);
        assertThat(cp.events("instance.crashed")).hasSize(1);
        assertThat(cp.events("instance.recovered")).hasSize(1);
    }

    /** An engine that answers although its process looks dead (a rewritten pid file) is not restarted over. */
    @Test
    void anEngineThatAnswersIsNotRestartedWhateverItsPidFileSays() {
        cp.create("tampered");
        long starts = cp.engine.faults().count("start", "tampered");
        cp.engine.misreport("tampered");
        cp.supervisor.resync();
        clock.advance(Duration.ofMinutes(1));
        cp.supervisor.resync();
        assertThat(cp.engine.faults().count("start", "tampered")).isEqualTo(starts);
        assertThat(cp.events("instance.pid-file-mismatch")).as("said once").hasSize(1);
        assertThat(cp.events("instance.crashed")).isEmpty();
    }

    @Test
    void restartsBackOffAndGiveUpAsFailedWithTheLog() {
        cp.create("flaky");
        cp.engine.kill("flaky");
        cp.engine.faults().failAlways("start", new IllegalStateException("address in use"));
        long created = cp.engine.faults().count("start", "flaky"); // the create's own start
        long pauses = 0;
        for (int attempt = 1; attempt < Supervisor.MAX_RESTARTS; attempt++) {
            cp.supervisor.resync();
            assertThat(cp.engine.faults().count("start", "flaky") - created).as("attempt " + attempt).isEqualTo(attempt);
            long backoff = Math.min(30, 1L << attempt);
            clock.advance(Duration.ofSeconds(backoff - 1));
            cp.supervisor.resync();
            assertThat(cp.engine.faults().count("start", "flaky") - created).as("no attempt within the pause after " + attempt)
                    .isEqualTo(attempt);
            clock.advance(Duration.ofSeconds(1));
            pauses += backoff;
        }
        assertThat(status("flaky")).isEqualTo(InstanceStatus.AVAILABLE);
        cp.supervisor.resync();
        assertThat(cp.engine.faults().count("start", "flaky") - created).isEqualTo(Supervisor.MAX_RESTARTS);
        var failed = cp.instance("flaky").orElseThrow();
        assertThat(failed.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(failed.lastError()).contains("engine keeps crashing").contains("address in use").contains("fake engine log");
        assertThat(cp.events("instance.restart-failed")).hasSize(Supervisor.MAX_RESTARTS - 1);
        assertThat(pauses).as("2 + 4 + 8 + 16 s between the attempts").isEqualTo(30);
        cp.engine.faults().clear();
        clock.advance(Duration.ofMinutes(5));
        cp.supervisor.resync();
        assertThat(cp.engine.faults().count("start", "flaky") - created).as("a failed instance waits for the user (db reboot)")
                .isEqualTo(Supervisor.MAX_RESTARTS);
    }

    @Test
    void fullStorageIsReadOnlyUntilThereIsRoomAndGrowsWhenItMay() {
        cp.create("fixed");
        cp.placement.setUsedBytes("fixed", (5L << 30) + 1);
        cp.supervisor.resync();
        assertThat(status("fixed")).isEqualTo(InstanceStatus.STORAGE_FULL);
        assertThat(cp.engine.faults().count("setReadOnly", "fixed")).isEqualTo(1);
        cp.placement.setUsedBytes("fixed", 1L << 20);
        clock.advance(Duration.ofMinutes(2));
        cp.supervisor.resync();
        assertThat(status("fixed")).isEqualTo(InstanceStatus.AVAILABLE);
        assertThat(cp.engine.faults().count("setReadOnly", "fixed")).as("writable again").isEqualTo(2);

        var growing = FakeControlPlane.request("growing");
        cp.instances.create(SystemActor.PRINCIPAL, new io.stratum.core.instance.CreateInstanceRequest(growing.name(), growing.engine(),
                null, null, 5, 10, null, null, null, null, null, null, null, null, null, null, java.util.Map.of(), null, null));
        cp.placement.setUsedBytes("growing", (long) (4.8 * (1L << 30)));
        cp.supervisor.resync();
        assertThat(status("growing")).isEqualTo(InstanceStatus.AVAILABLE);
        assertThat(cp.instance("growing").orElseThrow().spec().storageGiB()).as("autoscaled").isGreaterThan(5).isLessThanOrEqualTo(10);
        assertThat(cp.engine.faults().count("setReadOnly", "growing")).isZero();
    }
}
