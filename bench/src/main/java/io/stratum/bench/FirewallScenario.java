package io.stratum.bench;

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
 * {@code firewall}: pgbench -S TPS on one Stratum PostgreSQL instance with its security group enforced by nftables, then
 * on the same instance with table {@code inet stratum} removed (the periodic check is set long so it stays removed),
 * in alternating rounds.
 * Needs root and nft.
 */
final class FirewallScenario implements Scenario {
    static final int ROUNDS = 3;
    private final int seconds;

    FirewallScenario(int seconds) {
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return "firewall";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        ServerOptions.Engines engines = ServerOptions.Engines.defaults().withPortRange("22300-22399")
                .withFirewall(new ServerOptions.Firewall("nft", "stratum", Duration.ofHours(1)));
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(engines), Clock.systemUTC())) {
            if (!"kernel+engine".equals(server.services().instances().enforcement().wireName())) {
                throw new IllegalStateException("the firewall bench needs root and nft (enforcement is engine-only here)");
            }
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            api.post("/v1/security-groups", "{\"name\":\"bench-app\"}");
            // a realistic group: a few private networks plus this host's loopback address
            for (String cidr : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8", "127.0.0.1/32")) {
                api.post("/v1/security-groups/bench-app/rules", "{\"cidr\":\"" + cidr + "\"}");
            }
            Pgbench bench = Pgbench.create(api, "bench-fw",
                    "{\"name\":\"bench-fw\",\"engine\":\"postgres\",\"class\":\"small\",\"tls\":\"off\",\"securityGroups\":[\"bench-app\"]}");
            bench.selectOnlyTps(5, "disable");
            // alternating rounds, so that drift on a busy machine hits both sides alike
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                server.services().firewall().sync();
                with.add(bench.selectOnlyTps(seconds, "disable"));
                new ToolRunner(null).self(List.of("nft", "delete", "table", "inet", "stratum"), null, null, Duration.ofSeconds(20));
                without.add(bench.selectOnlyTps(seconds, "disable"));
            }
            server.services().firewall().sync();
            bench.delete();
            double withRules = Samples.median(with);
            double withoutTable = Samples.median(without);
            api.delete("/v1/security-groups/bench-app");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "pgbench -S -c 4 -j 2 -T " + seconds + " from 127.0.0.1 against one Stratum PostgreSQL instance (class "
                    + "small, scale 10, TLS off) whose group admits 5 networks, with table inet stratum in place vs removed; " + ROUNDS
                    + " alternating rounds after a 5 s warm-up, medians");
            result.put("roundsWithRules", with.stream().map(Samples::round).toList());
            result.put("roundsWithoutTable", without.stream().map(Samples::round).toList());
            result.put("tpsWithRules", Samples.round(withRules));
            result.put("tpsWithoutTable", Samples.round(withoutTable));
            result.put("ratioMeaning", "TPS with rules / TPS without the table (1.0 = the kernel layer costs nothing; goal >= 0.97)");
            result.put("rows", List.of(BenchMain.rounds("pgbench -S TPS, nftables rules vs none", with, without)));
            return result;
        }
    }
}
