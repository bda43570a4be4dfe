package io.stratum.bench;

import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.server.security.InternalCa;
import io.stratum.testkit.FreePort;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tunnel}: bulk reads (psql COPY ... TO STDOUT) and pgbench -S against one Stratum PostgreSQL instance through
 * Stratum's bastion, through OpenSSH's sshd, and directly; both tunnels opened by OpenSSH's {@code ssh -L} with the same
 * cipher (aes128-gcm@openssh.com). One run each.
 */
final class TunnelScenario implements Scenario {
    static final String CIPHER = "aes128-gcm@openssh.com";
    private final int megabytes;
    private final int seconds;
    private final int rounds = 5;

    TunnelScenario(int megabytes, int seconds) {
        this.megabytes = megabytes;
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return "tunnel";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(work.resolve("home")), "127.0.0.1:0",
                null, null, null).withEngines(ServerOptions.Engines.defaults().withPortRange("22400-22499")), Clock.systemUTC());
             TestSshd sshd = TestSshd.start()) {
            HttpsClient api = new HttpsClient(server.url(), InternalCa.readCertificate(Files.readString(server.caFile())),
                    Files.readString(server.adminTokenFile()).trim());
            api.post("/v1/stacks", "{\"name\":\"bench\"}");
            api.post("/v1/stacks/bench/stages", "{\"name\":\"prod\"}");
            Path key = work.resolve("bench.key");
            Proc.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).requireSuccess("ssh-keygen");
            api.post("/v1/bastion/keys", BenchMain.JSON.writeValueAsString(Map.of("stack", "bench",
                    "publicKey", Files.readString(Path.of(key + ".pub")).strip())));
            Pgbench pg = Pgbench.create(api, "bench-tunnel",
                    "{\"name\":\"bench-tunnel\",\"engine\":\"postgres\",\"class\":\"small\",\"tls\":\"off\",\"stack\":\"bench\",\"stage\":\"prod\"}");
            int bastionPort = BenchMain.JSON.readTree(api.get("/v1/bastion")).path("port").asInt();
            Map<String, List<Double>> bulk = new LinkedHashMap<>();
            Map<String, List<Double>> tps = new LinkedHashMap<>();
            try (SshForward stratum = SshForward.open(key, "bench", bastionPort, pg.port());
                 SshForward openssh = SshForward.open(sshd.clientKey(), sshd.user(), sshd.port(), pg.port())) {
                Map<String, Integer> paths = new LinkedHashMap<>();
                paths.put("direct", pg.port());
                paths.put("stratum", stratum.localPort);
                paths.put("openssh", openssh.localPort);
                paths.keySet().forEach(k -> {
                    bulk.put(k, new ArrayList<>());
                    tps.put(k, new ArrayList<>());
                });
                // round -1 warms every path up (the bastion's JIT, the tunnels' windows); then the paths take turns
                for (int round = -1; round < rounds; round++) {
                    for (var p : paths.entrySet()) {
                        double mb = pg.bulkMegabytesPerSecond(megabytes, p.getValue());
                        double t = pg.selectOnlyTps(seconds, "disable", p.getValue());
                        if (round < 0) continue;
                        bulk.get(p.getKey()).add(Samples.round(mb));
                        tps.get(p.getKey()).add(Samples.round(t));
                    }
                }
            }
            pg.delete();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "through Stratum's bastion vs through OpenSSH sshd, both entered with OpenSSH ssh -N -L -c " + CIPHER
                    + ", and directly: " + megabytes + " MB read with psql COPY TO STDOUT, and pgbench -S -c 4 -j 2 -T " + seconds
                    + " (scale 10, TLS off); " + rounds + " rounds after a warm-up, the three paths taking turns in each");
            result.put("bulkMegabytesPerSecond", spread(bulk));
            result.put("selectOnlyTps", spread(tps));
            result.put("bulkRatioRounds", ratios(bulk.get("stratum"), bulk.get("openssh")));
            result.put("ratioMeaning", "Stratum / OpenSSH (goal >= 0.9) and Stratum / direct; higher is better");
            result.put("rows", List.of(
                    BenchMain.rounds("bulk MB/s, Stratum bastion vs OpenSSH sshd (median)", bulk.get("stratum"), bulk.get("openssh")),
                    BenchMain.rounds("pgbench -S TPS, Stratum bastion vs OpenSSH sshd (median)", tps.get("stratum"), tps.get("openssh")),
                    BenchMain.rounds("bulk MB/s, Stratum bastion vs direct (median)", bulk.get("stratum"), bulk.get("direct")),
                    BenchMain.rounds("pgbench -S TPS, Stratum bastion vs direct (median)", tps.get("stratum"), tps.get("direct"))));
            return result;
        }
    }

    /** Per path: median, min, max and every round. */
    private static Map<String, Object> spread(Map<String, List<Double>> figures) {
        Map<String, Object> out = new LinkedHashMap<>();
        figures.forEach((path, v) -> out.put(path, Map.of("median", Samples.median(v), "min", v.stream().min(Double::compare).orElseThrow(),
                "max", v.stream().max(Double::compare).orElseThrow(), "rounds", v)));
        return out;
    }

    /** Round by round, a / b: the spread of the ratio itself. */
    private static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) out.add(Samples.round(a.get(i) / b.get(i)));
        return out;
    }

    /** OpenSSH {@code ssh -N -L} with a fixed cipher, in the background until closed. */
    private record SshForward(Process process, int localPort) implements AutoCloseable {
        static SshForward open(Path key, String user, int sshPort, int targetPort) throws Exception {
            int local = FreePort.find();
            List<String> argv = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-N", "-c", CIPHER, "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ExitOnForwardFailure=yes",
                    "-o", "LogLevel=ERROR", "-p", String.valueOf(sshPort), "-L", local + ":127.0.0.1:" + targetPort, user + "@127.0.0.1"));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (FreePort.listening(local)) return new SshForward(p, local);
                if (!p.isAlive()) throw new IllegalStateException("ssh -L exited with " + p.exitValue());
                Thread.sleep(50);
            }
            Proc.killTree(p);
            throw new IllegalStateException("ssh -L did not listen on " + local);
        }

        @Override
        public void close() {
            Proc.killTree(process);
        }
    }
}
