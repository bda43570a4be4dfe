package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratum.engines.EngineFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Engines killed with SIGKILL come back by themselves; one that keeps failing ends as failed with its log tail. */
class SupervisionIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-sup-", "21200-21299", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Path pidFile(String name, String engine) {
        Path dir = h.root().resolve("instances").resolve(name);
        return switch (engine) {
            case "postgres" -> dir.resolve("data/postmaster.pid");
            case "mariadb" -> dir.resolve("run/mariadb.pid");
            default -> dir.resolve("run/redis.pid");
        };
    }

    @Test
    void aKilledEngineIsBackWithinFiveSecondsAndTheEventSaysSo() {
        for (String engine : List.of("postgres", "mariadb", "redis")) {
            String name = "sup-" + engine.substring(0, 2);
            assertThat(h.cli("db", "create", name, "--engine", engine, "--class", "micro").exit()).isZero();
            long pid = EngineFiles.readPid(pidFile(name, engine));
            long lastEvent = h.api().get("/v1/events?limit=1").get(0).path("id").asLong();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long now = EngineFiles.readPid(pidFile(name, engine));
                return now > 0 && now != pid && EngineFiles.alive(now)
                        && h.api().get("/v1/events?after=" + lastEvent).toString().contains("instance.recovered");
            });
            var probe = h.client(name, engine.equals("redis") ? new String[] {"PING"} : new String[] {"SELECT 1"});
            assertThat(probe.exit()).isZero();
            assertThat(probe.stdout()).doesNotContain("LOADING");
            var events = h.api().get("/v1/events?after=" + lastEvent).toString();
            assertThat(events).contains("instance.crashed").contains("instance.recovered").contains("instance/" + name);
            assertThat(h.instance(name).path("status").asText()).isEqualTo("available");
        }
    }

    @Test
    void anEngineThatKeepsFailingEndsFailedWithItsLogTail() throws Exception {
        assertThat(h.cli("db", "create", "doomed", "--engine", "redis", "--class", "micro").exit()).isZero();
        Path conf = h.root().resolve("instances/doomed/conf/redis.conf");
        Files.writeString(conf, Files.readString(conf) + "this-is-not-a-redis-directive yes\n");
        long pid = EngineFiles.readPid(pidFile("doomed", "redis"));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        h.awaitStatus("doomed", "failed", Duration.ofSeconds(90));
        var shown = h.instance("doomed");
        assertThat(shown.path("lastError").asText()).contains("keeps crashing").contains("this-is-not-a-redis-directive");
        var events = h.api().get("/v1/events?limit=50").toString();
        assertThat(events).contains("instance.restart-failed").contains("gave up after");
    }
}
