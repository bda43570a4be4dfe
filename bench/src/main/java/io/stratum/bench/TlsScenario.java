package io.stratum.bench;

import io.stratum.core.home.StratumHome;
import io.stratum.engines.ToolRunner;
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
 * {@code tls}: pgbench -S TPS over TLS against plain TCP on the same Stratum PostgreSQL instance, and the same pair on
 * a PostgreSQL configured for TLS by hand, so that what TLS itself costs is told apart from what Stratum adds. Rounds
 * alternate (Stratum plain, Stratum TLS, bare plain, bare TLS) after a warm-up of each.
 */
final class TlsScenario implements Scenario {
    private final int seconds;
    private final int rounds;

    TlsScenario(int seconds, int rounds) {
        this.seconds = seconds;
        this.rounds = rounds;
    }

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        String engineUser = "root".equals(System.getProperty("user.name")) ? "stratum" : null;
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22200-22299")), Clock.systemUTC());
             BareTlsPostgres byHand = new BareTlsPostgres(new ToolRunner(engineUser), engineUser, work.resolve("bare"))) {
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            Pgbench stratum = Pgbench.create(api, "bench-tls",
                    "{\"name\":\"bench-tls\",\"engine\":\"postgres\",\"class\":\"small\",\"tls\":\"prefer\"}");
            Pgbench bare = Pgbench.bare(byHand.port, "postgres", "postgres", BareTlsPostgres.PASSWORD);
            Map<String, List<Double>> tps = new LinkedHashMap<>();
            for (String k : List.of("stratumPlain", "stratumTls", "barePlain", "bareTls")) tps.put(k, new ArrayList<>());
            for (int round = -1; round < rounds; round++) {   // round -1: the warm-up, not recorded
                double[] r = {stratum.selectOnlyTps(seconds, "disable"), stratum.selectOnlyTps(seconds, "require"),
                        bare.selectOnlyTps(seconds, "disable"), bare.selectOnlyTps(seconds, "require")};
                if (round < 0) continue;
                int i = 0;
                for (List<Double> list : tps.values()) list.add(Samples.round(r[i++]));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "pgbench -S -c 4 -j 2 -T " + seconds + ", scale 10, " + rounds + " alternating rounds after a warm-up: "
                    + "a Stratum PostgreSQL instance (class small, tls prefer) and a PostgreSQL set up for TLS by hand, "
                    + "sslmode=require vs sslmode=disable on each");
            result.put("negotiated", Map.of("stratum", stratum.negotiated(), "bare", bare.negotiated()));
            Map<String, Object> figures = new LinkedHashMap<>();
            tps.forEach((k, v) -> figures.put(k, Map.of("medianTps", Samples.median(v), "minTps", v.stream().min(Double::compare).orElseThrow(),
                    "maxTps", v.stream().max(Double::compare).orElseThrow(), "roundsTps", v)));
            result.put("tps", figures);
            List<Double> stratumRatios = new ArrayList<>();
            List<Double> bareRatios = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                stratumRatios.add(Samples.round(tps.get("stratumTls").get(i) / tps.get("stratumPlain").get(i)));
                bareRatios.add(Samples.round(tps.get("bareTls").get(i) / tps.get("barePlain").get(i)));
            }
            result.put("ratioRounds", Map.of("stratum", stratumRatios, "bare", bareRatios));
            result.put("baseline", BareTlsPostgres.DESCRIPTION);
            result.put("ratioMeaning", "TLS TPS / plain TPS (1.0 = TLS costs nothing; higher is better); the same ratio on the bare "
                    + "PostgreSQL is what TLS itself costs");
            stratum.delete();
            result.put("rows", List.of(
                    BenchMain.rounds("pgbench -S TPS, TLS vs plain (Stratum)", tps.get("stratumTls"), tps.get("stratumPlain")),
                    BenchMain.rounds("pgbench -S TPS, TLS vs plain (PostgreSQL by hand)", tps.get("bareTls"), tps.get("barePlain")),
                    BenchMain.rounds("pgbench -S TPS over TLS, Stratum vs by hand", tps.get("stratumTls"), tps.get("bareTls"))));
            return result;
        }
    }
}
