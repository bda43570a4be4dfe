package io.stratum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import io.stratum.engines.ToolRunner;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.server.security.InternalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code backup-mariadb}: backup and restore throughput of a MariaDB database of about {@code megabytes} MB (four
 * tables of the {@code backup} scenario's shape), Stratum's pipeline against {@code mariadb-dump | zstd -1 -T2} and
 * {@code zstd -d | mariadb} into an empty instance, alternating rounds in the same run. A MariaDB dump is one SQL
 * stream that one client thread loads: the figure that says what Stratum's pipeline adds around it.
 */
final class MariadbBackupScenario implements Scenario {
    private static final String DUMP_FLAGS = "--single-transaction --routines --triggers --events";
    private final int megabytes;
    private final ToolRunner tools = new ToolRunner(null);

    MariadbBackupScenario(int megabytes) {
        this.megabytes = megabytes;
    }

    @Override
    public String name() {
        return "backup-mariadb";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22600-22699")), Clock.systemUTC())) {
            BackupApi api = new BackupApi(new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim()));
            api.create("{\"name\":\"mbench-src\",\"engine\":\"mariadb\",\"storage\":20,\"maxStorage\":20}");
            Client src = client(api, "mbench-src");
            int rowsPerTable = megabytes * 1024 * 1024 / 4 / 230;
            for (int t = 1; t <= 4; t++) {
                src.sql("CREATE TABLE events" + t + " (id BIGINT PRIMARY KEY, at DATETIME, account CHAR(32), amount DECIMAL(12,2), kind INT, "
                        + "payload TEXT); INSERT INTO events" + t + " SELECT seq, NOW() - INTERVAL seq SECOND, MD5(CONCAT(seq, '" + t + "')), "
                        + "ROUND(RAND() * 100000, 2), FLOOR(RAND() * 20), CONCAT(MD5(RAND()), MD5(RAND()), MD5(RAND()), "
                        + "TO_BASE64(UNHEX(CONCAT(MD5(RAND()), MD5(seq))))) FROM seq_1_to_" + rowsPerTable + ";");
            }
            long bytes = Long.parseLong(src.sql("SELECT SUM(data_length + index_length) FROM information_schema.tables "
                    + "WHERE table_schema = 'app';").strip());
            double mb = bytes / 1e6;
            String expected = checksum(src);
            Path dump = work.resolve("mariadb.sql.zst");

            api.backup("mbench-src");   // a warm-up on both sides
            baselineBackup(src, dump);
            int rounds = 3;
            double[] stratumBackup = new double[rounds];
            double[] baselineBackup = new double[rounds];
            double[] stratumRestore = new double[rounds];
            double[] baselineRestore = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                String copy = "mbench-copy-" + round;
                String base = "mbench-base-" + round;
                api.create("{\"name\":\"" + base + "\",\"engine\":\"mariadb\",\"storage\":20,\"maxStorage\":20}");
                Client target = client(api, base);
                String[] backupId = new String[1];
                if (round % 2 == 0) {
                    baselineBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, dump));
                    stratumBackup[round] = mb / BackupApi.timed(() -> backupId[0] = api.backup("mbench-src"));
                    baselineRestore[round] = mb / BackupApi.timed(() -> baselineRestore(target, dump));
                    stratumRestore[round] = mb / BackupApi.timed(() -> api.restore(backupId[0], copy));
                } else {
                    stratumBackup[round] = mb / BackupApi.timed(() -> backupId[0] = api.backup("mbench-src"));
                    baselineBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, dump));
                    stratumRestore[round] = mb / BackupApi.timed(() -> api.restore(backupId[0], copy));
                    baselineRestore[round] = mb / BackupApi.timed(() -> baselineRestore(target, dump));
                }
                for (String instance : List.of(copy, base)) {
                    if (!checksum(client(api, instance)).equals(expected)) throw new IllegalStateException(instance + " differs from the source");
                    api.drop(instance);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "MariaDB database of " + Math.round(mb) + " MB (InnoDB data and indexes; 4 tables), three alternating rounds "
                    + "after a warm-up on both sides (medians); backup: Stratum manual backup to the directory store (mariadb-dump "
                    + DUMP_FLAGS + ", zstd level 1, AES-256-GCM, SHA-256, re-read check, manifest with per-table checksums) vs mariadb-dump "
                    + DUMP_FLAGS + " | zstd -1 -T2 to a file; restore: Stratum restore into a new instance (archive check and create "
                    + "included) vs zstd -d | mariadb into an empty instance");
            result.put("databaseMB", Math.round(mb));
            result.put("backupMBps", Map.of("stratum", BackupApi.rounded(stratumBackup), "baseline", BackupApi.rounded(baselineBackup)));
            result.put("restoreMBps", Map.of("stratum", BackupApi.rounded(stratumRestore), "baseline", BackupApi.rounded(baselineRestore)));
            result.put("stratumOperations", api.notes);
            result.put("ratioMeaning", "Stratum MB/s / baseline MB/s (1.0 = as fast as the hand-made pipeline; higher is better)");
            result.put("rows", List.of(
                    BenchMain.rounds("backup MB/s vs mariadb-dump + zstd -1", BackupApi.list(stratumBackup), BackupApi.list(baselineBackup)),
                    BenchMain.rounds("restore MB/s vs zstd -d + mariadb", BackupApi.list(stratumRestore), BackupApi.list(baselineRestore))));
            return result;
        }
    }

    private void baselineBackup(Client src, Path dump) {
        tools.self(List.of("bash", "-o", "pipefail", "-c", "mariadb-dump " + src.options() + " " + DUMP_FLAGS + " app | zstd -q -1 -T2 -f -o "
                + dump), src.env(), null, Duration.ofHours(1));
    }

    private void baselineRestore(Client target, Path dump) {
        tools.self(List.of("bash", "-o", "pipefail", "-c", "zstd -q -d -c " + dump + " | mariadb " + target.options() + " app"), target.env(),
                null, Duration.ofHours(1));
    }

    private static String checksum(Client c) {
        return c.sql("CHECKSUM TABLE events1, events2, events3, events4;").lines().map(l -> l.substring(l.indexOf('\t') + 1)).toList().toString();
    }

    /** The mariadb client as an instance's master user over TCP, without TLS (as the baseline's pipes run). */
    private record Client(ToolRunner tools, String options, Map<String, String> env) {
        String sql(String sql) {
            List<String> argv = new ArrayList<>(List.of("mariadb"));
            argv.addAll(List.of(options.split(" ")));
            argv.addAll(List.of("--batch", "--skip-column-names", "-e", sql, "app"));
            return tools.self(argv, env, null, Duration.ofHours(1)).stdout();
        }
    }

    private Client client(BackupApi api, String instance) throws Exception {
        JsonNode c = api.credentials(instance);
        return new Client(tools, "--no-defaults --skip-ssl -h 127.0.0.1 -P " + c.path("port").asInt() + " -u " + c.path("username").asText(),
                Map.of("MYSQL_PWD", c.path("password").asText()));
    }
}
