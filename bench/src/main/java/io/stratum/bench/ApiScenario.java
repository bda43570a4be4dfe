package io.stratum.bench;

import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.server.security.InternalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code api}: p50/p99 latency of one "create a stage, then get it" round trip with 1,000 stages present, through
 * Stratum's HTTPS API (auth, validation, store, event) against a bare Javalin + SQLite endpoint over the same TLS.
 */
final class ApiScenario implements Scenario {
    private final int present;
    private final int warmup;
    private final int measured;

    ApiScenario(int present, int warmup, int measured) {
        this.present = present;
        this.warmup = warmup;
        this.measured = measured;
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        Samples stratum = new Samples(measured);
        Samples floor = new Samples(measured);
        Path home = work.resolve("home");
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null),
                Clock.systemUTC())) {
            String token = Files.readString(server.adminTokenFile()).trim();
            var ca = InternalCa.readCertificate(Files.readString(server.caFile()));
            HttpsClient client = new HttpsClient(server.url(), ca, token);
            client.post("/v1/stacks", "{\"name\":\"bench\"}");
            for (int i = 0; i < present; i++) client.post("/v1/stacks/bench/stages", "{\"name\":\"present-" + i + "\"}");
            measure(warmup, null, i -> {
                client.post("/v1/stacks/bench/stages", "{\"name\":\"warm-" + i + "\"}");
                client.get("/v1/stacks/bench/stages/warm-" + i);
            });
            measure(measured, stratum, i -> {
                client.post("/v1/stacks/bench/stages", "{\"name\":\"m-" + i + "\"}");
                client.get("/v1/stacks/bench/stages/m-" + i);
            });

            InternalCa internal = InternalCa.loadOrCreate(server.caFile(), home.resolve("ca/ca.key"));
            try (BareSqliteEndpoint bare = new BareSqliteEndpoint(work.resolve("bare.db"), internal)) {
                HttpsClient plain = new HttpsClient(bare.url(), ca, null);
                for (int i = 0; i < present; i++) bare.insertDirect("bench", "present-" + i);
                measure(warmup, null, i -> {
                    plain.post("/stages/bench", "{\"name\":\"warm-" + i + "\"}");
                    plain.get("/stages/bench/warm-" + i);
                });
                measure(measured, floor, i -> {
                    plain.post("/stages/bench", "{\"name\":\"m-" + i + "\"}");
                    plain.get("/stages/bench/m-" + i);
                });
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("what", "create+get of a stage with " + present + " stages present, over HTTPS, sequential, "
                + measured + " measured after " + warmup + " warm-up");
        result.put("stratum", stratum.summary());
        result.put("baseline", Map.of("name", "bare Javalin + SQLite (WAL, synchronous=FULL), same TLS", "latency", floor.summary()));
        result.put("ratios", Map.of(
                "p50", Samples.round(stratum.percentileMs(50) / floor.percentileMs(50)),
                "p99", Samples.round(stratum.percentileMs(99) / floor.percentileMs(99))));
        result.put("ratioMeaning", "Stratum latency / baseline latency (1.0 = as fast as the floor; lower is better)");
        result.put("rows", List.of(
                BenchMain.row("create+get p50 latency (ms)", stratum.percentileMs(50), floor.percentileMs(50)),
                BenchMain.row("create+get p99 latency (ms)", stratum.percentileMs(99), floor.percentileMs(99))));
        return result;
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    private static void measure(int n, Samples into, Step step) throws Exception {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            step.run(i);
            if (into != null) into.add(System.nanoTime() - t0);
        }
    }
}
