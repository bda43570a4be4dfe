package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.engines.EngineFiles;
import io.stratum.testkit.Proc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** db rotate-password: the new password works and the old one is refused; a failed rotation changes nothing. */
class PasswordRotationIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-rotate-", "21700-21799", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Connects with an explicit password (not the one Stratum currently holds). */
    static Proc.Result connectWith(String name, String password) {
        JsonNode c = h.credentials(name);
        String port = c.path("port").asText();
        return switch (c.path("engine").asText()) {
            case "postgres" -> Proc.run(List.of("psql", "-X", "-At", "-h", "127.0.0.1", "-p", port, "-U", "app", "-d", "app", "-c",
                    "SELECT 1"), Map.of("PGPASSWORD", password), null, null, 30);
            case "mariadb" -> Proc.run(List.of("mariadb", "--no-defaults", "-N", "-h", "127.0.0.1", "-P", port, "-u", "app", "app", "-e",
                    "SELECT 1"), Map.of("MYSQL_PWD", password), null, null, 30);
            default -> {
                var r = Proc.run(List.of("redis-cli", "-h", "127.0.0.1", "-p", port, "--user", "app", "--no-auth-warning", "PING"),
                        Map.of("REDISCLI_AUTH", password), null, null, 30);
                yield new Proc.Result(r.stdout().contains("PONG") ? 0 : 1, r.stdout(), r.stderr());
            }
        };
    }

    @Test
    void theNewPasswordWorksTheOldIsRefusedAndTheSecretHasTwoVersions() {
        for (String engine : List.of("postgres", "mariadb", "redis")) {
            String name = "rot-" + engine.substring(0, 2);
            assertThat(h.cli("db", "create", name, "--engine", engine, "--class", "micro").exit()).isZero();
            String old = h.credentials(name).path("password").asText();
            var rotated = h.cli("db", "rotate-password", name);
            assertThat(rotated.exit()).as(rotated.err()).isZero();
            String fresh = h.credentials(name).path("password").asText();
            assertThat(fresh).hasSize(32).isNotEqualTo(old);
            assertThat(connectWith(name, fresh).exit()).as(engine + " new password").isZero();
            assertThat(connectWith(name, old).exit()).as(engine + " old password refused").isNotZero();
            var history = h.cli("secret", "history", name + "/master", "-o", "json").json();
            assertThat(history).hasSize(2);
            assertThat(h.cli("secret", "get", name + "/master", "--version", "1", "-o", "json").json().path("value")
                    .path("password").asText()).isEqualTo(old);
        }
    }

    @Test
    void masterKeyRotationKeepsInstancesUpAndManageable() {
        assertThat(h.cli("db", "create", "mk-pg", "--engine", "postgres", "--class", "micro").exit()).isZero();
        String password = h.credentials("mk-pg").path("password").asText();
        long pid = EngineFiles.readPid(h.root().resolve("instances/mk-pg/data/postmaster.pid"));
        var rotated = h.cli("master-key", "rotate", "-o", "json");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.json().path("rewrapped").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(EngineFiles.readPid(h.root().resolve("instances/mk-pg/data/postmaster.pid"))).as("instance stayed up").isEqualTo(pid);
        assertThat(connectWith("mk-pg", password).exit()).isZero();
        assertThat(h.credentials("mk-pg").path("password").asText()).isEqualTo(password);
        assertThat(h.cli("db", "reboot", "mk-pg").exit()).as("Stratum still opens the instance's secrets").isZero();
        assertThat(connectWith("mk-pg", password).exit()).isZero();
    }

    @Test
    void aRotationThatFailsLeavesTheOldPasswordWorkingAndTheSecretUnchanged() throws Exception {
        assertThat(h.cli("db", "create", "rot-fail", "--engine", "postgres", "--class", "micro").exit()).isZero();
        String old = h.credentials("rot-fail").path("password").asText();
        long postmaster = EngineFiles.readPid(h.root().resolve("instances/rot-fail/data/postmaster.pid"));
        assertThat(Proc.run("kill", "-STOP", String.valueOf(postmaster)).exit()).isZero();
        try {
            var failed = h.cli("db", "rotate-password", "rot-fail");
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.err()).contains("previous password still works");
        } finally {
            Proc.run("kill", "-CONT", String.valueOf(postmaster));
        }
        assertThat(h.instance("rot-fail").path("status").asText()).isEqualTo("available");
        assertThat(h.cli("secret", "history", "rot-fail/master", "-o", "json").json()).hasSize(1);
        assertThat(h.credentials("rot-fail").path("password").asText()).isEqualTo(old);
        assertThat(h.cli("db", "reboot", "rot-fail").exit()).isZero();
        assertThat(connectWith("rot-fail", old).exit()).as("the old password works after a restart").isZero();
        assertThat(h.api().get("/v1/events?limit=30").toString()).contains("instance.password-rotation-failed");
    }
}
