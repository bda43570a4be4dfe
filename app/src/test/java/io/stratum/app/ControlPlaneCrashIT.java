package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.cli.ApiClient;
import io.stratum.cli.Connection;
import io.stratum.engines.EngineFiles;
import io.stratum.testkit.TestHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The control plane SIGKILLed in the middle of a create, at several steps: after a restart every instance is available
 * or cleanly rolled back, with no orphan process, port or directory; a restart never restarts a running engine.
 */
class ControlPlaneCrashIT {

    @Test
    void interruptedCreatesConvergeAndRunningEnginesAreAdopted() throws Exception {
        try (TestHome home = TestHome.create("stratum-crash-")) {
            Path logs = home.root().resolve("test-logs");
            List<String> ports = List.of("--port-range", "21500-21599");
            List<String> steps = List.of("prepare-data", "start", "bootstrap", "verify");
            ServerProcess server = ServerProcess.startSlow(home.root(), logs, "slow-0", 600, ports);
            try {
                for (int i = 0; i < steps.size(); i++) {
                    String name = "crash-" + i;
                    ApiClient api = api(home);
                    JsonNode op = api.post("/v1/instances", Map.of("name", name, "engine", i % 2 == 0 ? "postgres" : "mariadb",
                            "class", "micro"));
                    String target = steps.get(i);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> api.get("/v1/operations/" + op.path("id").asText()).path("step").asText(), target::equals);
                    server.kill();
                    server = ServerProcess.startSlow(home.root(), logs, "slow-" + (i + 1), 600, ports);
                    ApiClient after = api(home);
                    await().atMost(Duration.ofSeconds(90)).until(() ->
                            after.get("/v1/operations/" + op.path("id").asText()).path("state").asText().matches("succeeded|failed"));
                    JsonNode finished = after.get("/v1/operations/" + op.path("id").asText());
                    if (finished.path("state").asText().equals("succeeded")) {
                        assertThat(after.get("/v1/instances/" + name).path("status").asText()).isEqualTo("available");
                    } else {
                        assertThat(finished.path("error").asText()).contains("rolled back");
                        assertThat(home.root().resolve("instances").resolve(name)).doesNotExist();
                    }
                }
            } finally {
                server.close();
            }

            // A plain restart adopts the running engines: same postmaster pid before and after.
            Path pgPid = home.root().resolve("instances/crash-0/data/postmaster.pid");
            long before = EngineFiles.readPid(pgPid);
            assertThat(EngineFiles.alive(before)).isTrue();
            try (ServerProcess again = ServerProcess.start(home.root(), logs, "adopt", List.of("--port-range", "21500-21599"))) {
                ApiClient api = api(home);
                Thread.sleep(3000); // a few resync passes
                assertThat(EngineFiles.readPid(pgPid)).isEqualTo(before);
                assertThat(api.get("/v1/instances/crash-0").path("status").asText()).isEqualTo("available");
                assertNoOrphans(home, api);
            }
        }
    }

    static ApiClient api(TestHome home) {
        return new ApiClient(Connection.resolve(home.root().toString(), Map.of()));
    }

    /** Every directory, engine process and port belongs to a recorded instance. */
    static void assertNoOrphans(TestHome home, ApiClient api) throws IOException {
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (JsonNode i : api.get("/v1/instances")) {
            names.add(i.path("name").asText());
            ports.add(i.path("endpoint").path("port").asInt());
            assertThat(i.path("status").asText()).isEqualTo("available");
        }
        try (Stream<Path> dirs = Files.list(home.root().resolve("instances"))) {
            assertThat(dirs.map(d -> d.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(names);
        }
        String instancesDir = home.root().resolve("instances").toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (!cmd.contains(instancesDir + "/")) continue;
                String owner = cmd.substring(cmd.indexOf(instancesDir + "/") + instancesDir.length() + 1).split("/")[0];
                assertThat(names).as("process " + p.getFileName() + " (" + cmd + ") belongs to a known instance").contains(owner);
            }
        }
        for (int port = 21500; port <= 21520; port++) {
            if (ports.contains(port)) continue;
            try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
