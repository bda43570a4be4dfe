package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ten instances of mixed engines created at once; and no password ever appears on a process command line. */
class ConcurrentCreateIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-many-", "21300-21399", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void tenMixedInstancesAllBecomeAvailableWithDistinctPorts() throws Exception {
        List<String> engines = List.of("postgres", "mariadb", "redis", "postgres", "mariadb", "redis", "postgres", "mariadb",
                "redis", "postgres");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<EngineHarness.Run>> runs = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            String name = "many-" + i;
            String engine = engines.get(i);
            runs.add(pool.submit(() -> h.cli("db", "create", name, "--engine", engine, "--class", "micro", "--no-wait")));
        }
        for (Future<EngineHarness.Run> r : runs) assertThat(r.get().exit()).as(r.get().err()).isZero();
        pool.shutdown();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < engines.size(); i++) {
            h.awaitStatus("many-" + i, "available", Duration.ofMinutes(3));
            ports.add(h.instance("many-" + i).path("endpoint").path("port").asInt());
            String probe = engines.get(i).equals("redis") ? "PING" : "SELECT 1";
            assertThat(h.client("many-" + i, probe).exit()).isZero();
        }
        assertThat(ports).hasSize(10);

        List<String> secrets = h.masterPasswords();
        assertThat(secrets).hasSize(10).allSatisfy(p -> assertThat(p).hasSize(32));
        assertNoCommandLineContains(secrets);
        // a reboot and a parameter change also spawn tools and engines
        assertThat(h.cli("db", "reboot", "many-0").exit()).isZero();
        assertThat(h.cli("db", "modify", "many-1", "--param", "max_connections=77").exit()).isZero();
        assertNoCommandLineContains(secrets);
    }

    static void assertNoCommandLineContains(List<String> secrets) {
        assertThat(io.stratum.testkit.ProcessArguments.containing(secrets)).as("passwords on process command lines").isEmpty();
    }
}
