package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratum.cli.ApiClient;
import io.stratum.cli.Connection;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import io.stratum.testkit.TestHome;

/** SIGKILL of the control plane while a client creates stages: every acknowledged stage survives. */
class CrashSafetyIT {
    /** Engines run as the 'stratum' user, so the home must be traversable by it (JUnit's @TempDir is 0700). */
    static final TestHome HOME = TestHome.create("stratum-" + Long.toHexString(System.nanoTime()) + "-");
    final Path dir = HOME.root();

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() {
        HOME.close();
    }

    @Test
    void acknowledgedStagesSurviveSigkill() throws Exception {
        Path home = dir.resolve("home");
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        try (ServerProcess first = ServerProcess.start(home, dir.resolve("logs"), "first")) {
            ApiClient api = new ApiClient(Connection.resolve(home.toString(), Map.of()));
            api.post("/v1/stacks", Map.of("name", "crash"));
            Thread writer = new Thread(() -> {
                for (int i = 0; ; i++) {
                    try {
                        api.post("/v1/stacks/crash/stages", Map.of("name", "s" + i));
                        acknowledged.add("s" + i);
                    } catch (RuntimeException e) {
                        return; // the server is gone
                    }
                }
            });
            writer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 40);
            first.kill();
            writer.join(30_000);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"))) {
            var rs = c.createStatement().executeQuery("PRAGMA integrity_check");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }

        try (ServerProcess second = ServerProcess.start(home, dir.resolve("logs"), "second")) {
            ApiClient api = new ApiClient(Connection.resolve(home.toString(), Map.of()));
            var stages = api.get("/v1/stacks/crash/stages").findValuesAsText("name");
            assertThat(stages).containsAll(acknowledged);
            assertThat(api.get("/v1/stacks/crash").path("name").asText()).isEqualTo("crash");
            // the restarted server keeps taking writes
            api.post("/v1/stacks/crash/stages", Map.of("name", "after-restart"));
            assertThat(api.get("/v1/stacks/crash/stages/after-restart").path("address").asText()).isEqualTo("crash/after-restart");
        }
    }
}
