package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.engine.EngineProvider;
import io.stratum.testkit.Proc;
import io.stratum.testkit.fakes.FakeEngine;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fourth engine added the way an engine module adds itself: a provider registered through {@link java.util.ServiceLoader}
 * (here the in-memory {@link FakeEngine}), with no edit anywhere else. It is listed with its capabilities, created,
 * given its block in the stage's contract, backed up, and reached with {@code db connect} through the client it declares.
 */
class FakeEngineSpiIT {
    static EngineHarness h;

    @BeforeAll
    static void start() throws Exception {
        Path services = Files.createTempDirectory("fake-engine-spi");
        Path file = services.resolve("META-INF/services/" + EngineProvider.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, FakeEngine.class.getName() + "\n");
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[] {services.toUri().toURL()}, original));
        try {
            h = new EngineHarness("stratum-spi-", "23900-23949", Duration.ofSeconds(15));
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void aProviderOnTheClassPathIsAnEngineEverywhere() {
        JsonNode fake = null;
        for (JsonNode e : h.ok("engine", "list", "-o", "json").json()) if (e.path("name").asText().equals("fake")) fake = e;
        assertThat(fake).as("listed").isNotNull();
        assertThat(fake.path("capabilities").toString()).contains("backup").doesNotContain("external-backup");
        assertThat(fake.path("contractPrefix").asText()).isEqualTo("FAKE");
        assertThat(h.ok("engine", "list").out()).as("in the table people read").contains("fake");

        h.ok("stack", "create", "spi");
        h.ok("stage", "create", "spi/dev");
        JsonNode created = h.ok("db", "create", "thing", "--engine", "fake", "--stack", "spi", "--stage", "dev", "-o", "json").json();
        assertThat(created.path("status").asText()).isEqualTo("available");
        int port = created.path("endpoint").path("port").asInt();
        assertThat(h.cli("db", "create", "bad", "--engine", "fake", "--database", "template1").err())
                .as("the provider's own database rules").contains("database").contains("reserved");

        JsonNode env = h.ok("env", "spi", "dev", "-o", "json").json();
        assertThat(env.path("FAKE_HOST").asText()).isEqualTo("127.0.0.1");
        assertThat(env.path("FAKE_PORT").asInt()).isEqualTo(port);
        assertThat(env.path("FAKE_DATABASE").asText()).isEqualTo("app");
        assertThat(env.path("FAKE_USERNAME").asText()).isEqualTo("app");
        assertThat(env.path("FAKE_URL").asText()).isEqualTo("fake://app@127.0.0.1:" + port + "/app");
        assertThat(env.has("DATABASE_URL")).isFalse();

        // the packaged CLI has no engine module: the client comes from the server
        Proc.Result connect = ServerProcess.cli(h.root(), "db", "connect", "thing");
        assertThat(connect.exit()).as(connect.stderr()).isZero();
        assertThat(connect.stdout()).contains("fake client: app@127.0.0.1:" + port + "/app, password given: yes");

        JsonNode backup = h.ok("backup", "create", "thing", "-o", "json").json();
        assertThat(backup.path("status").asText()).isEqualTo("available");
        assertThat(h.ok("backup", "verify", backup.path("id").asText(), "-o", "json").json().path("drill").path("status").asText())
                .isEqualTo("passed");
        h.ok("db", "delete", "thing", "--confirm", "thing", "--skip-final-snapshot");
        assertThat(h.cli("db", "show", "thing").exit()).isEqualTo(3);
    }
}
