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

/** {@code tls}: pgbench -S TPS over TLS against plain TCP on the same Stratum PostgreSQL instance, one run each. */
final class TlsScenario implements Scenario {
    private final int seconds;

    TlsScenario(int seconds) {
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22200-22299")), Clock.systemUTC())) {
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            Pgbench bench = Pgbench.create(api, "bench-tls",
                    "{\"name\":\"bench-tls\",\"engine\":\"postgres\",\"class\":\"small\",\"tls\":\"prefer\"}");
            double plain = bench.selectOnlyTps(seconds, "disable");
            double tls = bench.selectOnlyTps(seconds, "require");
            bench.delete();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "pgbench -S -c 4 -j 2 -T " + seconds + " against one Stratum PostgreSQL instance (class small, scale 10), "
                    + "sslmode=require vs sslmode=disable, one run each");
            result.put("tpsTls", Samples.round(tls));
            result.put("tpsPlain", Samples.round(plain));
            result.put("ratioMeaning", "TLS TPS / plain TPS (1.0 = TLS costs nothing; higher is better)");
            result.put("rows", List.of(BenchMain.row("pgbench -S TPS, TLS vs plain", tls, plain)));
            return result;
        }
    }
}
