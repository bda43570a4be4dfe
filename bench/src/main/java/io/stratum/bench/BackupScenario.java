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
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            create(api, "{\"name\":\"bench-src\",\"engine\":\"postgres\",\"storage\":20,\"maxStorage\":20}");
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
            backup(api, "bench-src");
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
                create(api, "{\"name\":\"bench-base-" + round + "\",\"engine\":\"postgres\",\"storage\":20,\"maxStorage\":20}");
                Psql target = psql(api, "bench-base-" + round);
                String[] backupId = new String[1];
                if (round % 2 == 0) {
                    baselineBackup[round] = mb / timed(() -> baselineBackup(src, dir, "-3"));
                    stratumBackup[round] = mb / timed(() -> backupId[0] = backup(api, "bench-src"));
                    baselineFastBackup[round] = mb / timed(() -> baselineBackup(src, work.resolve("pgdump-fast"), "-1"));
                    baselineRestore[round] = mb / timed(() -> baselineRestore(target, dir));
                    stratumRestore[round] = mb / timed(() -> restore(api, backupId[0], copyName));
                } else {
                    baselineFastBackup[round] = mb / timed(() -> baselineBackup(src, work.resolve("pgdump-fast"), "-1"));
                    stratumBackup[round] = mb / timed(() -> backupId[0] = backup(api, "bench-src"));
                    baselineBackup[round] = mb / timed(() -> baselineBackup(src, dir, "-3"));
                    stratumRestore[round] = mb / timed(() -> restore(api, backupId[0], copyName));
                    baselineRestore[round] = mb / timed(() -> baselineRestore(target, dir));
                }
                for (String copy : List.of(copyName, "bench-base-" + round)) {
                    if (!psql(api, copy).run("SELECT sum(hashtextextended(e::text, 0)) FROM events3 e;").equals(expected)) {
                        throw new IllegalStateException(copy + " differs from the source");
                    }
                    drop(api, copy);
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
            result.put("backupMBps", Map.of("stratum", rounded(stratumBackup), "baseline", rounded(baselineBackup)));
            result.put("restoreMBps", Map.of("stratum", rounded(stratumRestore), "baseline", rounded(baselineRestore)));
            result.put("backupMBpsBaselineZstd1", rounded(baselineFastBackup));
            result.put("stratumOperations", notes);
            result.put("ratioMeaning", "Stratum MB/s / baseline MB/s (1.0 = as fast as the hand-made pipeline; higher is better)");
            result.put("rows", List.of(BenchMain.rounds("backup MB/s vs pg_dump + zstd -3", list(stratumBackup), list(baselineBackup)),
                    BenchMain.rounds("backup MB/s vs pg_dump + zstd -1 (Stratum's level)", list(stratumBackup), list(baselineFastBackup)),
                    BenchMain.rounds("restore MB/s", list(stratumRestore), list(baselineRestore))));
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

    private static List<Double> list(double[] values) {
        List<Double> l = new ArrayList<>();
        for (double v : values) l.add(v);
        return l;
    }

    private static List<Double> rounded(double[] values) {
        return list(values).stream().map(Samples::round).toList();
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** Seconds {@code work} took. */
    private static double timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private String restore(HttpsClient api, String backupId, String to) throws Exception {
        return note(await(api, BenchMain.JSON.readTree(api.post("/v1/backups/" + backupId + "/restore", "{\"to\":\"" + to + "\"}")).path("id").asText()));
    }

    /** What Stratum's operations reported (step times, bytes and rates), kept in the result for the reader. */
    private final List<String> notes = new ArrayList<>();

    private String note(String s) {
        notes.add(s);
        return s;
    }

    /** Deletes an instance without a final snapshot (frees its disk for the next round). */
    private static void drop(HttpsClient api, String name) throws Exception {
        await(api, BenchMain.JSON.readTree(api.delete("/v1/instances/" + name + "?confirm=" + name + "&skipFinalSnapshot=true"))
                .path("id").asText());
    }

    private static void create(HttpsClient api, String body) throws Exception {
        await(api, BenchMain.JSON.readTree(api.post("/v1/instances", body)).path("id").asText());
    }

    private String backup(HttpsClient api, String instance) throws Exception {
        note(await(api, BenchMain.JSON.readTree(api.post("/v1/instances/" + instance + "/backups", "{}")).path("id").asText()));
        return BenchMain.JSON.readTree(api.get("/v1/backups?instance=" + instance)).get(0).path("id").asText();
    }

    /** Waits for an operation; returns how long each step took as seen by polling, and its last detail. */
    private static String await(HttpsClient api, String opId) throws Exception {
        Map<String, Long> steps = new LinkedHashMap<>();
        String step = null;
        long since = System.nanoTime();
        while (true) {
            JsonNode op = BenchMain.JSON.readTree(api.get("/v1/operations/" + opId));
            String now = op.path("step").asText();
            if (!now.equals(step)) {
                if (step != null) steps.merge(step, (System.nanoTime() - since) / 1_000_000, Long::sum);
                step = now;
                since = System.nanoTime();
            }
            if (op.path("state").asText().equals("succeeded")) return steps + " " + op.path("detail").asText();
            if (op.path("state").asText().equals("failed")) throw new IllegalStateException("operation failed: " + op.path("error").asText());
            Thread.sleep(20);
        }
    }

    /** psql as an instance's master user over TCP. */
    private record Psql(ToolRunner tools, List<String> target, Map<String, String> env) {
        String run(String sql) {
            List<String> argv = new ArrayList<>(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql));
            argv.addAll(target);
            return tools.self(argv, env, null, Duration.ofHours(1)).stdout();
        }
    }

    private Psql psql(HttpsClient api, String instance) throws Exception {
        JsonNode c = BenchMain.JSON.readTree(api.get("/v1/instances/" + instance + "/credentials"));
        return new Psql(tools, List.of("-h", "127.0.0.1", "-p", c.path("port").asText(), "-U", "app", "app"),
                Map.of("PGPASSWORD", c.path("password").asText(), "PGSSLMODE", "disable"));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
