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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code provision}: create → authenticated connection. Stratum's figure is measured inside the running server (the
 * create operation's record, from creation to the verified master-user connection); the baseline is the same thing done
 * by hand with the engine's own tools, in the same run.
 */
final class ProvisionScenario implements Scenario {
    private final int runs;

    ProvisionScenario(int runs) {
        this.runs = runs;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        String engineUser = "root".equals(System.getProperty("user.name")) ? "stratum" : null;
        BareEngines bare = new BareEngines(new ToolRunner(engineUser), engineUser, work.resolve("bare"));
        Map<String, Samples> stratum = new LinkedHashMap<>();
        Map<String, Samples> baseline = new LinkedHashMap<>();
        List<String> engines = List.of("postgres", "mariadb", "redis");
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22000-22199")), Clock.systemUTC())) {
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            for (String engine : engines) {
                stratum.put(engine, new Samples(runs));
                baseline.put(engine, new Samples(runs));
                createOnce(api, engine, engine + "-warm");
                bare.run(engine, -1);
                for (int i = 0; i < runs; i++) {
                    stratum.get(engine).add(createOnce(api, engine, engine + "-" + i));
                    baseline.get(engine).add(bare.run(engine, i));
                }
            }
            for (String engine : engines) {
                deleteAll(api, engine + "-warm");
                for (int i = 0; i < runs; i++) deleteAll(api, engine + "-" + i);
            }
            while (BenchMain.JSON.readTree(api.get("/v1/instances")).size() > 0) Thread.sleep(100);
        } finally {
            bare.close();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("what", "create -> authenticated connection, " + runs + " runs per engine after one warm-up, class micro");
        List<Object> rows = new ArrayList<>();
        Map<String, Object> perEngine = new LinkedHashMap<>();
        for (String engine : engines) {
            Samples s = stratum.get(engine);
            Samples b = baseline.get(engine);
            perEngine.put(engine, Map.of("stratum", s.summary(), "bare", b.summary(),
                    "p50Ratio", Samples.round(s.percentileMs(50) / b.percentileMs(50))));
            rows.add(BenchMain.rounds(engine + " create→connection p50 (ms)", s.millis(), b.millis()));
        }
        result.put("engines", perEngine);
        result.put("baseline", BareEngines.DESCRIPTION);
        result.put("ratioMeaning", "Stratum p50 / bare p50 (lower is better; goal <= 0.6 for postgres and mariadb)");
        result.put("rows", rows);
        return result;
    }

    /** Creates an instance and returns, in nanoseconds, the server's own record of create → verified connection. */
    private static long createOnce(HttpsClient api, String engine, String name) throws Exception {
        JsonNode op = BenchMain.JSON.readTree(api.post("/v1/instances",
                "{\"name\":\"" + name + "\",\"engine\":\"" + engine + "\",\"class\":\"micro\"}"));
        String id = op.path("id").asText();
        while (true) {
            JsonNode cur = BenchMain.JSON.readTree(api.get("/v1/operations/" + id));
            String state = cur.path("state").asText();
            if (state.equals("succeeded")) {
                return Duration.between(Instant.parse(cur.path("createdAt").asText()), Instant.parse(cur.path("updatedAt").asText()))
                        .toNanos();
            }
            if (state.equals("failed")) throw new IllegalStateException("create " + name + " failed: " + cur.path("error").asText());
            Thread.sleep(20);
        }
    }

    private static void deleteAll(HttpsClient api, String name) throws Exception {
        api.delete("/v1/instances/" + name + "?confirm=" + name + "&skipFinalSnapshot=true");
    }

}
