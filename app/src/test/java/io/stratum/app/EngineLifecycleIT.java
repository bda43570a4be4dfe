package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each engine through its whole life, driven by the CLI and checked with the engine's own client. */
class EngineLifecycleIT {
    static EngineHarness h;

    /** How to check one engine: a write, a read, and which settings show a class change, a live and a static parameter. */
    record Case(String engine, String name, String write, String read, String expectRead,
                String classProbe, String mediumValue,
                String dynamicParam, String dynamicProbe, String dynamicValue,
                String staticParam, String staticProbe, String staticBefore, String staticAfter) {
        @Override
        public String toString() {
            return engine;
        }
    }

    static List<Case> engines() {
        return List.of(
                new Case("postgres", "life-pg", "CREATE TABLE t (id int); INSERT INTO t VALUES (42)", "SELECT id FROM t", "42",
                        "SHOW shared_buffers", "128MB",
                        "work_mem=16MB", "SHOW work_mem", "16MB",
                        "max_connections=150", "SHOW max_connections", "200", "150"),
                new Case("mariadb", "life-my", "CREATE TABLE t (id int); INSERT INTO t VALUES (42)", "SELECT id FROM t", "42",
                        "SELECT @@innodb_buffer_pool_size", "268435456",
                        "max_connections=333", "SELECT @@max_connections", "333",
                        "innodb_log_file_size=32M", "SELECT @@innodb_log_file_size", "16777216", "33554432"),
                new Case("redis", "life-rd", "SET greeting hello", "GET greeting", "hello",
                        "CONFIG GET maxmemory", "536870912",
                        "maxmemory-policy=allkeys-lru", "CONFIG GET maxmemory-policy", "allkeys-lru",
                        "databases=32", "CONFIG GET databases", "16", "32"));
    }

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-life-", "21000-21099", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    String query(Case c, String sqlOrCommand) {
        String[] args = c.engine().equals("redis") ? sqlOrCommand.split(" ") : new String[] {sqlOrCommand};
        // a tenant's Redis users may not run CONFIG: settings are read as Stratum's admin
        var r = c.engine().equals("redis") && sqlOrCommand.startsWith("CONFIG GET") ? h.redisAdmin(c.name(), args) : h.client(c.name(), args);
        assertThat(r.exit()).as(r.stderr()).isZero();
        String out = r.stdout().strip();
        // CONFIG GET answers "name\nvalue"
        return c.engine().equals("redis") && sqlOrCommand.startsWith("CONFIG GET") ? out.substring(out.indexOf('\n') + 1).strip() : out;
    }

    /** {@code stratum db connect NAME} as a user runs it: the packaged CLI, the query on stdin (or after --). */
    String connectThroughTheCli(Case c) {
        List<String> argv = new java.util.ArrayList<>(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "db",
                "connect", c.name()));
        String stdin = null;
        if (c.engine().equals("redis")) {
            argv.add("--");
            argv.addAll(List.of(c.read().split(" ")));
        } else {
            stdin = c.read() + ";\n";
        }
        var r = io.stratum.testkit.Proc.run(argv, java.util.Map.of("STRATUM_HOME", h.root().toString()), null, stdin, 60);
        assertThat(r.exit()).as(r.stderr()).isZero();
        return r.stdout();
    }

    long pid(Case c) {
        Path dir = h.root().resolve("instances").resolve(c.name());
        Path pidFile = switch (c.engine()) {
            case "postgres" -> dir.resolve("data/postmaster.pid");
            case "mariadb" -> dir.resolve("run/mariadb.pid");
            default -> dir.resolve("run/redis.pid");
        };
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void wholeLife(Case c) {
        var created = h.cli("db", "create", c.name(), "--engine", c.engine(), "-o", "json");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().path("status").asText()).isEqualTo("available");
        assertThat(created.json().path("engine").asText()).isEqualTo(c.engine());
        Path dataDir = h.root().resolve("instances").resolve(c.name()).resolve("data");
        assertThat(dataDir).isDirectory();

        for (String statement : c.write().split("; ")) query(c, statement);
        assertThat(query(c, c.read())).isEqualTo(c.expectRead());
        assertThat(connectThroughTheCli(c)).contains(c.expectRead());

        long before = pid(c);
        assertThat(h.cli("db", "reboot", c.name()).exit()).isZero();
        assertThat(pid(c)).isNotEqualTo(before);
        assertThat(query(c, c.read())).isEqualTo(c.expectRead());

        assertThat(h.cli("db", "stop", c.name()).exit()).isZero();
        assertThat(h.instance(c.name()).path("status").asText()).isEqualTo("stopped");
        assertThat(h.client(c.name(), c.engine().equals("redis") ? new String[] {"PING"} : new String[] {"SELECT 1"}).stdout())
                .doesNotContain("PONG");
        assertThat(dataDir).isDirectory();
        var stoppedConnect = h.cli("db", "connect", c.name());
        assertThat(stoppedConnect.exit()).isEqualTo(1);
        assertThat(stoppedConnect.err()).contains("is stopped").contains("stratum db start " + c.name());
        assertThat(h.cli("db", "start", c.name()).exit()).isZero();
        assertThat(query(c, c.read())).isEqualTo(c.expectRead());

        var modified = h.cli("db", "modify", c.name(), "--class", "medium", "--apply-immediately", "-o", "json");
        assertThat(modified.exit()).as(modified.err()).isZero();
        assertThat(modified.json().path("class").asText()).isEqualTo("medium");
        assertThat(query(c, c.classProbe())).isEqualTo(c.mediumValue());

        long beforeLive = pid(c);
        String[] dyn = c.dynamicParam().split("=", 2);
        var live = h.cli("db", "modify", c.name(), "--param", c.dynamicParam());
        assertThat(live.exit()).isZero();
        assertThat(live.out()).contains("in effect now").doesNotContain("pending");
        assertThat(query(c, c.dynamicProbe())).isEqualTo(c.dynamicValue());
        assertThat(pid(c)).as("a dynamic parameter applies without a restart").isEqualTo(beforeLive);
        assertThat(h.instance(c.name()).path("parameters").path(dyn[0]).asText()).isEqualTo(dyn[1]);

        String[] stat = c.staticParam().split("=", 2);
        var staticChange = h.cli("db", "modify", c.name(), "--param", c.staticParam());
        assertThat(staticChange.exit()).isZero();
        assertThat(staticChange.out()).as("a static parameter waits for a reboot, and says so")
                .contains("pending until the next reboot: " + c.staticParam()).contains("stratum db reboot " + c.name());
        assertThat(h.instance(c.name()).path("pendingModifications").path("param." + stat[0]).asText()).isEqualTo(stat[1]);
        assertThat(query(c, c.staticProbe())).isEqualTo(c.staticBefore());
        assertThat(pid(c)).isEqualTo(beforeLive);
        assertThat(h.cli("db", "reboot", c.name()).exit()).isZero();
        assertThat(query(c, c.staticProbe())).isEqualTo(c.staticAfter());
        assertThat(h.instance(c.name()).path("pendingModifications").isEmpty()).isTrue();
        assertThat(query(c, c.read())).isEqualTo(c.expectRead());

        var unconfirmed = h.cli("db", "delete", c.name(), "--skip-final-snapshot");
        assertThat(unconfirmed.exit()).isEqualTo(4);
        assertThat(unconfirmed.err()).contains("--confirm " + c.name());
        assertThat(h.cli("db", "delete", c.name(), "--confirm", "other", "--skip-final-snapshot").exit()).isEqualTo(4);
        assertThat(h.cli("db", "modify", c.name(), "--deletion-protection").exit()).isZero();
        var protectedDelete = h.cli("db", "delete", c.name(), "--confirm", c.name(), "--skip-final-snapshot");
        assertThat(protectedDelete.exit()).isEqualTo(4);
        assertThat(protectedDelete.err()).contains("deletion protection");
        assertThat(h.cli("db", "modify", c.name(), "--no-deletion-protection").exit()).isZero();
        assertThat(dataDir).as("data stays until the delete").isDirectory();
        long last = pid(c);

        assertThat(h.cli("db", "delete", c.name(), "--confirm", c.name(), "--skip-final-snapshot").exit()).isZero();
        assertThat(h.cli("db", "show", c.name()).exit()).isEqualTo(3);
        assertThat(dataDir.getParent()).doesNotExist();
        assertThat(io.stratum.engines.EngineFiles.alive(last)).as("engine process gone").isFalse();
    }
}
