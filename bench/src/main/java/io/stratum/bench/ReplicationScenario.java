package io.stratum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.server.security.InternalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * {@code replication}: a PostgreSQL read replica. (c) replication lag as an application sees it: a probe row committed
 * on the source, then polled on the replica until it is visible, every 50 ms, while pgbench -N writes on the source at
 * full speed (and, for reference, with the source idle); p50, p99 and max in ms. (b, reader side) pgbench -S TPS on the
 * replica against the same on its source, alternating rounds (reported: a standby answers reads like its primary).
 * The writer and reader endpoints and switchover (a and b of the issue) are not built yet.
 */
final class ReplicationScenario implements Scenario {
    private final int seconds;
    private final int rounds;

    ReplicationScenario(int seconds, int rounds) {
        this.seconds = seconds;
        this.rounds = rounds;
    }

    @Override
    public String name() {
        return "replication";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22800-22899")), Clock.systemUTC())) {
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            Pgbench source = Pgbench.create(api, "bench-src", "{\"name\":\"bench-src\",\"engine\":\"postgres\",\"class\":\"small\"}");
            JsonNode c = BenchMain.JSON.readTree(api.get("/v1/instances/bench-src/credentials"));
            String password = c.path("password").asText();
            try (Connection w = connect(source.port(), password)) {
                w.createStatement().execute("CREATE TABLE lag_probe (n int PRIMARY KEY)");
            }
            long t0 = System.nanoTime();
            await(api, BenchMain.JSON.readTree(api.post("/v1/instances/bench-src/replicas", "{\"name\":\"bench-ro\"}")).path("id").asText());
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            int replicaPort = BenchMain.JSON.readTree(api.get("/v1/instances/bench-ro")).path("endpoint").path("port").asInt();
            Pgbench replica = Pgbench.existing(replicaPort, "app", "app", password);

            List<Double> onReplica = new ArrayList<>();
            List<Double> onSource = new ArrayList<>();
            for (int round = -1; round < rounds; round++) {   // round -1: the warm-up, not recorded
                // which side runs first alternates, so that neither always gets the warmer cache
                boolean replicaFirst = round % 2 == 0;
                double r = replicaFirst ? replica.selectOnlyTps(seconds, "disable") : 0;
                double s = source.selectOnlyTps(seconds, "disable");
                if (!replicaFirst) r = replica.selectOnlyTps(seconds, "disable");
                if (round < 0) continue;
                onReplica.add(Samples.round(r));
                onSource.add(Samples.round(s));
            }

            List<Double> idle = probe(source.port(), replicaPort, password, null, 100);
            CompletableFuture<Double> load = CompletableFuture.supplyAsync(() -> source.simpleUpdateTps(2 * seconds));
            Thread.sleep(1000);
            List<Double> loaded = probe(source.port(), replicaPort, password, load, Integer.MAX_VALUE);
            double writeTps = load.join();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "a Stratum PostgreSQL instance (class small, pgbench scale 10) and its read replica on the same host: "
                    + "replication lag seen by an application (a probe row committed on the source, polled on the replica every "
                    + "0.2 ms until visible; one probe every 50 ms) with the source idle and under pgbench -N -c 4 -j 2 at full "
                    + "speed (pgbench, both engines and the probe share the host's cores: the tail under load includes that "
                    + "contention); and pgbench -S -c 4 -j 2 -T " + seconds + " on the replica vs on the source, " + rounds
                    + " alternating rounds after a warm-up");
            result.put("replicaCreateSeconds", Samples.round(createSeconds));
            result.put("lagIdleMs", summary(idle));
            result.put("lagUnderLoadMs", summary(loaded));
            result.put("writeTpsDuringProbe", Samples.round(writeTps));
            result.put("selectTps", Map.of("replica", onReplica, "source", onSource));
            List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(BenchMain.rounds("pgbench -S TPS, on the read replica vs on its source", onReplica, onSource));
            rows.add(figure("replication lag p50 / p99 under pgbench -N (ms)", Samples.round(percentile(loaded, 50)) + " / "
                    + Samples.round(percentile(loaded, 99)), Samples.round(percentile(idle, 50)) + " / " + Samples.round(percentile(idle, 99))
                    + " (source idle)"));
            rows.add(figure("read replica create, source holding pgbench scale 10 (s)", String.valueOf(Samples.round(createSeconds)), "-"));
            result.put("rows", rows);
            api.delete("/v1/instances/bench-ro?confirm=bench-ro");
            while (BenchMain.JSON.readTree(api.get("/v1/instances")).size() > 1) Thread.sleep(100);
            source.delete();
            return result;
        }
    }

    /**
     * Probes until {@code until} completes (or {@code count} probes): each commits a new row on the source and measures
     * how long until the replica returns it.
     */
    private static List<Double> probe(int sourcePort, int replicaPort, String password, CompletableFuture<?> until, int count)
            throws Exception {
        List<Double> ms = new ArrayList<>();
        try (Connection w = connect(sourcePort, password); Connection r = connect(replicaPort, password)) {
            PreparedStatement insert = w.prepareStatement("INSERT INTO lag_probe VALUES (?)");
            PreparedStatement seen = r.prepareStatement("SELECT 1 FROM lag_probe WHERE n = ?");
            int n = (int) (System.nanoTime() & 0x3fffffff);
            while (ms.size() < count && (until == null || !until.isDone())) {
                n++;
                insert.setInt(1, n);
                insert.executeUpdate();
                long committed = System.nanoTime();
                seen.setInt(1, n);
                while (true) {
                    try (ResultSet rs = seen.executeQuery()) {
                        if (rs.next()) break;
                    }
                    if (System.nanoTime() - committed > 60_000_000_000L) throw new IllegalStateException("probe " + n + " not replicated in 60 s");
                    Thread.sleep(0, 200_000);
                }
                ms.add((System.nanoTime() - committed) / 1e6);
                Thread.sleep(50);
            }
        }
        return ms;
    }

    private static Connection connect(int port, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app", p);
    }

    private static void await(HttpsClient api, String op) throws Exception {
        while (true) {
            JsonNode o = BenchMain.JSON.readTree(api.get("/v1/operations/" + op));
            if (o.path("state").asText().equals("succeeded")) return;
            if (o.path("state").asText().equals("failed")) throw new IllegalStateException("replica create failed: " + o.path("error"));
            Thread.sleep(50);
        }
    }

    private static Map<String, Object> summary(List<Double> ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", ms.size());
        m.put("p50", Samples.round(percentile(ms, 50)));
        m.put("p99", Samples.round(percentile(ms, 99)));
        m.put("max", Samples.round(ms.stream().max(Double::compare).orElse(0.0)));
        return m;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** A table row with no ratio: a figure reported against a reference, not a baseline of the same work. */
    private static Map<String, Object> figure(String metric, String stratum, String reference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("stratum", stratum);
        m.put("baseline", reference);
        m.put("ratio", "-");
        return m;
    }
}
