package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratum.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.stratum.testkit.TestHome;

/** The README quick start, through the real scripts: bin/stratum up, then the CLI in another shell. */
class QuickStartIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Engines run as the 'stratum' user, so the home must be traversable by it (JUnit's @TempDir is 0700). */
    static final TestHome HOME = TestHome.create("stratum-" + Long.toHexString(System.nanoTime()) + "-");
    final Path dir = HOME.root();

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() {
        HOME.close();
    }

    @Test
    void upThenStackStageAndListWorkWithNoFurtherConfiguration() throws Exception {
        Path home = dir.resolve("home");
        Path out = dir.resolve("up.out");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("STRATUM_HOME", home.toString());
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/stratum").toString(), "up", "--listen", "127.0.0.1:0");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process up = pb.start();
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                if (!up.isAlive()) throw new AssertionError("bin/stratum up exited: " + Files.readString(out));
                return Files.readString(out).contains("Stratum control plane is up");
            });
            String banner = Files.readString(out);
            assertThat(banner).contains("https://127.0.0.1:").contains(home.resolve("admin.token").toString());

            var result = Proc.run(List.of("bash", "-c",
                    "bin/stratum stack create shop && bin/stratum stage create shop/prod && bin/stratum stage list -o json"),
                    env, ROOT, null, 180);
            assertThat(result.exit()).as(result.stderr()).isZero();
            String json = result.stdout().substring(result.stdout().indexOf('['));
            var stages = new ObjectMapper().readTree(json);
            assertThat(stages).hasSize(1);
            assertThat(stages.get(0).path("stack").asText()).isEqualTo("shop");
            assertThat(stages.get(0).path("name").asText()).isEqualTo("prod");
        } finally {
            up.destroy();
            up.waitFor();
        }
        assertThat(home.resolve("server.json")).as("removed on a clean stop").doesNotExist();
    }

    @Test
    void aHomeTheEngineUserCannotReachIsRefusedWithTheFix(@org.junit.jupiter.api.io.TempDir Path privateDir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Proc.isRoot(), "only root runs engines as another user");
        java.nio.file.Files.setPosixFilePermissions(privateDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        var r = Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "server", "--home",
                privateDir.resolve("home").toString(), "--listen", "127.0.0.1:0"), null, null, null, 60);
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("the 'stratum' user cannot reach").contains("STRATUM_HOME=/var/lib/stratum");
    }

    @Test
    void setupIsIdempotent() {
        for (int i = 0; i < 2; i++) {
            var r = Proc.run(List.of(ROOT.resolve("bin/stratum").toString(), "setup"), null, ROOT, null, 900);
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).containsPattern("stratum setup: (ok|all packages present)");
        }
    }

    @Test
    void setupOnAHostWithoutAptSaysWhatToInstallAndExitsTwo(@org.junit.jupiter.api.io.TempDir Path scratch) throws Exception {
        Path bin = scratch.resolve("bin");
        Files.createDirectories(bin);
        for (String tool : List.of("bash", "dirname", "id", "tr", "grep", "sed", "readlink")) {
            Path target = Path.of("/usr/bin", tool);
            if (!Files.exists(target)) target = Path.of("/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), target);
        }
        var r = Proc.run(List.of(bin.resolve("bash").toString(), ROOT.resolve("bin/stratum").toString(), "setup"),
                Map.of("PATH", bin.toString()), ROOT, null, 60);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("PostgreSQL").contains("MariaDB").contains("Redis").contains("nftables")
                .contains("zstd").contains("useradd");
    }
}
