package io.stratum.bench;

import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.server.security.InternalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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

    /** Alternating rounds: each side's share of the measured requests, taking turns which goes first. */
    static final int ROUNDS = 5;

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        Samples stratum = new Samples(measured);
        Samples floor = new Samples(measured);
        List<Samples> stratumRounds = new ArrayList<>();
        List<Samples> floorRounds = new ArrayList<>();
        Path home = work.resolve("home");
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null),
                Clock.systemUTC())) {
            String token = Files.readString(server.adminTokenFile()).trim();
            var ca = InternalCa.readCertificate(Files.readString(server.caFile()));
            HttpsClient client = new HttpsClient(server.url(), ca, token);
            client.post("/v1/stacks", "{\"name\":\"bench\"}");
            for (int i = 0; i < present; i++) client.post("/v1/stacks/bench/stages", "{\"name\":\"present-" + i + "\"}");
            InternalCa internal = InternalCa.loadOrCreate(server.caFile(), home.resolve("ca/ca.key"));
            try (BareSqliteEndpoint bare = new BareSqliteEndpoint(work.resolve("bare.db"), internal)) {
                HttpsClient plain = new HttpsClient(bare.url(), ca, null);
                for (int i = 0; i < present; i++) bare.insertDirect("bench", "present-" + i);
                Step viaStratum = i -> {
                    client.post("/v1/stacks/bench/stages", "{\"name\":\"m-" + i + "\"}");
                    client.get("/v1/stacks/bench/stages/m-" + i);
                };
                Step viaFloor = i -> {
                    plain.post("/stages/bench", "{\"name\":\"m-" + i + "\"}");
                    plain.get("/stages/bench/m-" + i);
                };
                measure(0, warmup, null, null, viaStratum);
                measure(0, warmup, null, null, viaFloor);
                int perRound = measured / ROUNDS;
                for (int round = 0; round < ROUNDS; round++) {
                    Samples sr = new Samples(perRound);
                    Samples fr = new Samples(perRound);
                    int from = warmup + round * perRound;
                    if (round % 2 == 0) {
                        measure(from, perRound, stratum, sr, viaStratum);
                        measure(from, perRound, floor, fr, viaFloor);
                    } else {
                        measure(from, perRound, floor, fr, viaFloor);
                        measure(from, perRound, stratum, sr, viaStratum);
                    }
                    stratumRounds.add(sr);
                    floorRounds.add(fr);
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("what", "create+get of a stage with " + present + " stages present, over HTTPS, sequential, " + measured + " measured "
                + "in " + ROUNDS + " alternating rounds after " + warmup + " warm-up on each side");
        result.put("stratum", stratum.summary());
        result.put("baseline", Map.of("name", "bare Javalin + SQLite (WAL, synchronous=FULL), same TLS", "latency", floor.summary()));
        result.put("roundsStratum", stratumRounds.stream().map(Samples::summary).toList());
        result.put("roundsBaseline", floorRounds.stream().map(Samples::summary).toList());
        result.put("ratioMeaning", "Stratum latency / baseline latency (1.0 = as fast as the floor; lower is better)");
        result.put("rows", List.of(
                BenchMain.rounds("create+get p50 latency (ms, median of rounds)", percentiles(stratumRounds, 50), percentiles(floorRounds, 50)),
                BenchMain.rounds("create+get p99 latency (ms, median of rounds)", percentiles(stratumRounds, 99), percentiles(floorRounds, 99))));
        return result;
    }

    private static List<Double> percentiles(List<Samples> rounds, double p) {
        return rounds.stream().map(r -> r.percentileMs(p)).toList();
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code step} for request numbers {@code from} .. {@code from + n - 1}, recording each latency in both samples. */
    private static void measure(int from, int n, Samples all, Samples round, Step step) throws Exception {
        for (int i = from; i < from + n; i++) {
            long t0 = System.nanoTime();
            step.run(i);
            long took = System.nanoTime() - t0;
            if (all != null) all.add(took);
            if (round != null) round.add(took);
        }
    }
}
