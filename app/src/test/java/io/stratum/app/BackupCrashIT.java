package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.cli.ApiClient;
import io.stratum.testkit.BackupObjects;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged control plane SIGKILLed while a backup archive is being written: the half-written archive never counts,
 * it is gone after the restart, and the resumed backup ends available and restorable, encrypted under a key and nonces
 * of its own (never those of the interrupted stream). A restore interrupted the same way while it loads resumes and
 * ends with the whole table in an instance that runs with its own settings.
 */
class BackupCrashIT {

    @Test
    void aBackupInterruptedMidWriteIsNeverAvailableHalfWritten() throws Exception {
        try (TestHome home = TestHome.create("stratum-backup-crash-")) {
            Path logs = home.root().resolve("test-logs");
            List<String> args = List.of("--port-range", "23600-23699");
            ServerProcess server = ServerProcess.start(home.root(), logs, "first", args);
            try {
                ApiClient api = ControlPlaneCrashIT.api(home);
                assertThat(ServerProcess.cli(home.root(), "db", "create", "big", "--engine", "postgres").exit()).isZero();
                JsonNode c = api.get("/v1/instances/big/credentials");
                Proc.run(List.of("psql", "-X", "-q", "-h", c.path("host").asText(), "-p", c.path("port").asText(), "-U", "app", "-d", "app",
                        "-c", "CREATE TABLE big AS SELECT g AS id, md5(random()::text) || repeat(md5(random()::text), 20) AS payload "
                                + "FROM generate_series(1, 150000) g"), Map.of("PGPASSWORD", c.path("password").asText()), null, null, 300)
                        .requireSuccess("loading 100 MB");
                JsonNode op = api.post("/v1/instances/big/backups", Map.of());
                Path backups = home.root().resolve("backups");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                        .until(() -> partial(backups).map(p -> p.toFile().length() > 1000).orElse(false));
                server.kill();
                assertThat(partials(backups)).as("killed while the archive was half written").isPositive();
                BackupObjects.Header beforeCrash = BackupObjects.header(partial(backups).orElseThrow());

                server = ServerProcess.start(home.root(), logs, "second", args);
                ApiClient after = ControlPlaneCrashIT.api(home);
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        after.get("/v1/operations/" + op.path("id").asText()).path("state").asText().matches("succeeded|failed"));
                JsonNode b = after.get("/v1/backups?instance=big").get(0);
                assertThat(b.path("status").asText()).as("resumed and finished").isEqualTo("available");
                assertThat(partials(backups)).as("no partial archive left").isZero();
                Path stored = backups.resolve(b.path("id").asText());
                List<BackupObjects.Header> resumed = List.of(BackupObjects.header(stored.resolve("archive")),
                        BackupObjects.header(stored.resolve("manifest")));
                assertThat(resumed).as("the resumed backup re-encrypted nothing under the interrupted stream's key and nonces")
                        .allSatisfy(hd -> {
                            assertThat(hd.salt()).isNotEqualTo(beforeCrash.salt());
                            assertThat(hd.noncePrefix()).isNotEqualTo(beforeCrash.noncePrefix());
                        });
                assertThat(resumed.get(0).salt()).isNotEqualTo(resumed.get(1).salt());

                // killed again while the restore loads the new instance (in its bulk-load mode): it resumes on an emptied
                // database, and the instance it makes available runs with its own settings
                JsonNode restore = after.post("/v1/backups/" + b.path("id").asText() + "/restore", Map.of("to", "bigcopy"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> ProcessHandle.allProcesses()
                        .anyMatch(p -> p.info().commandLine().orElse("").matches(".*pg_restore .*/bigcopy/restore\\.d.*")));
                server.kill();
                assertThat(home.root().resolve("instances/bigcopy/conf/bulk-load.conf")).as("killed during the bulk load").exists();
                server = ServerProcess.start(home.root(), logs, "third", args);
                ApiClient third = ControlPlaneCrashIT.api(home);
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        third.get("/v1/operations/" + restore.path("id").asText()).path("state").asText().matches("succeeded|failed"));
                assertThat(third.get("/v1/operations/" + restore.path("id").asText()).path("state").asText()).isEqualTo("succeeded");
                JsonNode copy = third.get("/v1/instances/bigcopy/credentials");
                Proc.Result count = Proc.run(List.of("psql", "-X", "-At", "-h", copy.path("host").asText(), "-p", copy.path("port").asText(),
                        "-U", "app", "-d", "app", "-c", "SELECT count(*) FROM big", "-c", "SHOW wal_level"),
                        Map.of("PGPASSWORD", copy.path("password").asText()), null, null, 60);
                assertThat(count.stdout().strip()).isEqualTo("150000\nreplica");
                assertThat(home.root().resolve("instances/bigcopy/conf/bulk-load.conf")).doesNotExist();
            } finally {
                server.close();
            }
        }
    }

    static java.util.Optional<Path> partial(Path backups) throws java.io.IOException {
        if (!Files.isDirectory(backups)) return java.util.Optional.empty();
        try (Stream<Path> files = Files.walk(backups)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).findFirst();
        }
    }

    static long partials(Path backups) throws java.io.IOException {
        if (!Files.isDirectory(backups)) return 0;
        try (Stream<Path> files = Files.walk(backups)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).count();
        }
    }
}
