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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            String opId = BenchMain.JSON.readTree(api.post("/v1/instances",
                    "{\"name\":\"bench-tls\",\"engine\":\"postgres\",\"class\":\"small\",\"tls\":\"prefer\"}")).path("id").asText();
            while (!BenchMain.JSON.readTree(api.get("/v1/operations/" + opId)).path("state").asText().matches("succeeded|failed")) {
                Thread.sleep(50);
            }
            JsonNode c = BenchMain.JSON.readTree(api.get("/v1/instances/bench-tls/credentials"));
            Map<String, String> env = Map.of("PGPASSWORD", c.path("password").asText());
            ToolRunner tools = new ToolRunner(null);
            List<String> target = List.of("-h", "127.0.0.1", "-p", c.path("port").asText(), "-U", "app", "app");
            List<String> init = new java.util.ArrayList<>(List.of("pgbench", "-i", "-s", "10", "-q"));
            init.addAll(target);
            tools.self(init, env, null, Duration.ofMinutes(5));
            double plain = tps(tools, target, env, "disable");
            double tls = tps(tools, target, env, "require");
            api.delete("/v1/instances/bench-tls?confirm=bench-tls&skipFinalSnapshot=true");
            while (BenchMain.JSON.readTree(api.get("/v1/instances")).size() > 0) Thread.sleep(100);
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

    private double tps(ToolRunner tools, List<String> target, Map<String, String> env, String sslmode) {
        List<String> argv = new java.util.ArrayList<>(List.of("pgbench", "-S", "-c", "4", "-j", "2", "-T", String.valueOf(seconds)));
        argv.addAll(target);
        Map<String, String> withMode = new java.util.HashMap<>(env);
        withMode.put("PGSSLMODE", sslmode);
        String out = tools.self(argv, withMode, null, Duration.ofSeconds(seconds + 120L)).stdout();
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no tps in pgbench output: " + out);
        return Double.parseDouble(m.group(1));
    }
}
