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
 * {@code backup}: backup and restore throughput of a PostgreSQL database of about {@code megabytes} MB of realistic,
 * not very compressible rows (four tables), Stratum's pipeline (dump, zstd, AES-GCM, SHA-256, read-back check,
 * manifest with per-table checksums; restore into a new instance) against {@code pg_dump -Fd -j2} + zstd and
 * {@code zstd -d} + {@code pg_restore -j2} into an empty instance, in the same run.
 */
final class BackupScenario implements Scenario {
    private final int megabytes;
    private final ToolRunner tools = new ToolRunner(null);

    BackupScenario(int megabytes) {
        this.megabytes = megabytes;
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22500-22599")), Clock.systemUTC())) {
            BackupApi api = new BackupApi(new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim()));
            api.create("{\"name\":\"bench-src\",\"engine\":\"postgres\",\"storage\":20,\"maxStorage\":20}");
            Psql src = psql(api, "bench-src");
            int rowsPerTable = megabytes * 1024 * 1024 / 4 / 230;
            for (int t = 1; t <= 4; t++) {
                src.run("CREATE TABLE events" + t + " (id bigint PRIMARY KEY, at timestamptz, account text, amount numeric(12,2), "
                        + "kind int, payload text); INSERT INTO events" + t + " SELECT g, now() - g * interval '1 second', "
                        + "md5(g::text || '" + t + "'), round((random() * 100000)::numeric, 2), (random() * 20)::int, "
                        + "md5(random()::text) || md5(random()::text) || md5(random()::text) || encode(decode(md5(random()::text) || md5(g::text), 'hex'), 'base64') "
                        + "FROM generate_series(1, " + rowsPerTable + ") g;");
            }
            src.run("VACUUM ANALYZE;");
            long bytes = Long.parseLong(src.run("SELECT pg_database_size('app');").strip());
            double mb = bytes / 1e6;

            // a warm-up of both backups (caches, JIT), then three rounds, alternating which side goes first; medians
            api.backup("bench-src");
            baselineBackup(src, work.resolve("pgdump-warm"), "-1");
            deleteTree(work.resolve("pgdump-warm"));
            int rounds = 3;
            double[] stratumBackup = new double[rounds];
            double[] baselineBackup = new double[rounds];
            double[] stratumRestore = new double[rounds];
            double[] baselineRestore = new double[rounds];
            double[] baselineFastBackup = new double[rounds];
            String expected = src.run("SELECT sum(hashtextextended(e::text, 0)) FROM events3 e;");
            for (int round = 0; round < rounds; round++) {
                Path dir = work.resolve("pgdump-" + round);
                String copyName = "bench-copy-" + round;
                api.create("{\"name\":\"bench-base-" + round + "\",\"engine\":\"postgres\",\"storage\":20,\"maxStorage\":20}");
                Psql target = psql(api, "bench-base-" + round);
                String[] backupId = new String[1];
                if (round % 2 == 0) {
                    baselineBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, dir, "-3"));
                    stratumBackup[round] = mb / BackupApi.timed(() -> backupId[0] = api.backup("bench-src"));
                    baselineFastBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, work.resolve("pgdump-fast"), "-1"));
                    baselineRestore[round] = mb / BackupApi.timed(() -> baselineRestore(target, dir));
                    stratumRestore[round] = mb / BackupApi.timed(() -> api.restore(backupId[0], copyName));
                } else {
                    baselineFastBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, work.resolve("pgdump-fast"), "-1"));
                    stratumBackup[round] = mb / BackupApi.timed(() -> backupId[0] = api.backup("bench-src"));
                    baselineBackup[round] = mb / BackupApi.timed(() -> baselineBackup(src, dir, "-3"));
                    stratumRestore[round] = mb / BackupApi.timed(() -> api.restore(backupId[0], copyName));
                    baselineRestore[round] = mb / BackupApi.timed(() -> baselineRestore(target, dir));
                }
                for (String copy : List.of(copyName, "bench-base-" + round)) {
                    if (!psql(api, copy).run("SELECT sum(hashtextextended(e::text, 0)) FROM events3 e;").equals(expected)) {
                        throw new IllegalStateException(copy + " differs from the source");
                    }
                    api.drop(copy);
                }
                deleteTree(dir);
                deleteTree(work.resolve("pgdump-fast"));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "PostgreSQL database of " + Math.round(mb) + " MB (4 tables, md5/random text, numbers, timestamps), three "
                    + "alternating rounds after a warm-up backup on both sides (medians); backup: Stratum manual backup to the directory store "
                    + "(until available: pg_dump -Fd -j2 of an exported snapshot packed as tar, zstd level 1, AES-256-GCM, SHA-256, re-read check, manifest with per-table checksums) vs "
                    + "pg_dump -Fd -j2 -Z0 + zstd -T2 of its files at zstd's default level 3 and at level 1; restore: Stratum restore into "
                    + "a new instance (archive check and create included) vs zstd -d + pg_restore -j2 into an empty instance");
            result.put("databaseMB", Math.round(mb));
            result.put("backupMBps", Map.of("stratum", BackupApi.rounded(stratumBackup), "baseline", BackupApi.rounded(baselineBackup)));
            result.put("restoreMBps", Map.of("stratum", BackupApi.rounded(stratumRestore), "baseline", BackupApi.rounded(baselineRestore)));
            result.put("backupMBpsBaselineZstd1", BackupApi.rounded(baselineFastBackup));
            result.put("stratumOperations", api.notes);
            result.put("ratioMeaning", "Stratum MB/s / baseline MB/s (1.0 = as fast as the hand-made pipeline; higher is better)");
            result.put("rows", List.of(
                    BenchMain.rounds("backup MB/s vs pg_dump + zstd -3", BackupApi.list(stratumBackup), BackupApi.list(baselineBackup)),
                    BenchMain.rounds("backup MB/s vs pg_dump + zstd -1 (Stratum's level)", BackupApi.list(stratumBackup),
                            BackupApi.list(baselineFastBackup)),
                    BenchMain.rounds("restore MB/s", BackupApi.list(stratumRestore), BackupApi.list(baselineRestore))));
            return result;
        }
    }

    private void baselineBackup(Psql src, Path dir, String level) throws java.io.IOException {
        List<String> dump = new ArrayList<>(List.of("pg_dump", "-Fd", "-j2", "-Z0", "-f", dir.toString()));
        dump.addAll(src.target());
        tools.self(dump, src.env(), null, Duration.ofHours(1));
        List<String> zstd = new ArrayList<>(List.of("zstd", "-q", "-T2", level, "--rm"));
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".dat")).forEach(f -> zstd.add(f.toString()));
        }
        tools.self(zstd, null, null, Duration.ofHours(1));
    }

    private void baselineRestore(Psql target, Path dir) throws Exception {
        List<String> unzstd = new ArrayList<>(List.of("zstd", "-q", "-d", "-T2", "--rm"));
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".zst")).forEach(f -> unzstd.add(f.toString()));
        }
        tools.self(unzstd, null, null, Duration.ofHours(1));
        List<String> restore = new ArrayList<>(List.of("pg_restore", "-j2", "--no-owner", "--no-privileges", "-d", "app"));
        restore.addAll(target.target().subList(0, 6));
        restore.add(dir.toString());
        tools.self(restore, target.env(), null, Duration.ofHours(1));
    }

    /** psql as an instance's master user over TCP. */
    private record Psql(ToolRunner tools, List<String> target, Map<String, String> env) {
        String run(String sql) {
            List<String> argv = new ArrayList<>(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql));
            argv.addAll(target);
            return tools.self(argv, env, null, Duration.ofHours(1)).stdout();
        }
    }

    private Psql psql(BackupApi api, String instance) throws Exception {
        JsonNode c = api.credentials(instance);
        return new Psql(tools, List.of("-h", "127.0.0.1", "-p", c.path("port").asText(), "-U", "app", "app"),
                Map.of("PGPASSWORD", c.path("password").asText(), "PGSSLMODE", "disable"));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
