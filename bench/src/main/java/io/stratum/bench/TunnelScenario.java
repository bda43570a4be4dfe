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
            Map<String, Double> bulk = new LinkedHashMap<>();
            Map<String, Double> tps = new LinkedHashMap<>();
            measure("direct", pg.port(), pg, bulk, tps);
            try (SshForward stratum = SshForward.open(key, "bench", bastionPort, pg.port())) {
                measure("stratum", stratum.localPort, pg, bulk, tps);
            }
            try (SshForward openssh = SshForward.open(sshd.clientKey(), sshd.user(), sshd.port(), pg.port())) {
                measure("openssh", openssh.localPort, pg, bulk, tps);
            }
            pg.delete();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("what", "through Stratum's bastion vs through OpenSSH sshd, both entered with OpenSSH ssh -N -L -c " + CIPHER
                    + ", and directly: " + megabytes + " MB read with psql COPY TO STDOUT, and pgbench -S -c 4 -j 2 -T " + seconds
                    + " (scale 10, TLS off); one run each");
            result.put("bulkMegabytesPerSecond", bulk);
            result.put("selectOnlyTps", tps);
            result.put("ratioMeaning", "Stratum / OpenSSH (goal >= 0.9) and Stratum / direct; higher is better");
            result.put("rows", List.of(
                    BenchMain.row("bulk MB/s, Stratum bastion vs OpenSSH sshd", bulk.get("stratum"), bulk.get("openssh")),
                    BenchMain.row("pgbench -S TPS, Stratum bastion vs OpenSSH sshd", tps.get("stratum"), tps.get("openssh")),
                    BenchMain.row("bulk MB/s, Stratum bastion vs direct", bulk.get("stratum"), bulk.get("direct")),
                    BenchMain.row("pgbench -S TPS, Stratum bastion vs direct", tps.get("stratum"), tps.get("direct"))));
            return result;
        }
    }

    private void measure(String path, int port, Pgbench pg, Map<String, Double> bulk, Map<String, Double> tps) {
        // warm-up on this path (the bastion's JIT, the tunnel's windows) before measuring
        pg.bulkMegabytesPerSecond(megabytes / 2, port);
        pg.selectOnlyTps(3, "disable", port);
        bulk.put(path, Samples.round(pg.bulkMegabytesPerSecond(megabytes, port)));
        tps.put(path, Samples.round(pg.selectOnlyTps(seconds, "disable", port)));
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
