package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.FreePort;
import io.stratum.testkit.Proc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bastion with OpenSSH's own ssh and sftp as the clients, and psql through the tunnel. */
class BastionIT {
    static EngineHarness h;
    static Path keys;
    static Path shopKey;
    static int bastionPort;

    @BeforeAll
    static void start() throws Exception {
        h = new EngineHarness("bastion-it", ServerOptions.Engines.defaults().withPortRange("23300-23399"));
        keys = Files.createTempDirectory("bastion-keys");
        for (String stage : List.of("shop/prod", "other/prod")) {
            ok("stack", "create", stage.split("/")[0]);
            ok("stage", "create", stage);
        }
        ok("db", "create", "shoppg", "--engine", "postgres", "--stack", "shop", "--stage", "prod");
        ok("db", "create", "otherpg", "--engine", "postgres", "--stack", "other", "--stage", "prod");
        shopKey = keys.resolve("shop.key");
        ok("bastion", "key", "create", "--stack", "shop", "--out", shopKey.toString());
        bastionPort = h.api().get("/v1/bastion").path("port").asInt();
    }

    @AfterAll
    static void stop() throws IOException {
        if (h != null) h.close();
        try (var files = Files.walk(keys)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static EngineHarness.Run ok(String... args) {
        EngineHarness.Run r = h.cli(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + r.out()).isZero();
        return r;
    }

    static List<String> sshOptions(Path key) {
        return List.of("-i", key.toString(), "-p", String.valueOf(bastionPort), "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5",
                "-o", "LogLevel=INFO");
    }

    /** {@code ssh OPTIONS user@127.0.0.1 COMMAND...} with the bastion's port and {@code key}. */
    static Proc.Result ssh(Path key, String user, List<String> options, String... command) {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(sshOptions(key));
        argv.addAll(options);
        argv.add(user + "@127.0.0.1");
        argv.addAll(List.of(command));
        return Proc.run(argv, null, null, "", 30);
    }

    /** {@code ssh -N -L} in the background, as the bastion command prints it; closed with the tunnel. */
    static final class Tunnel implements AutoCloseable {
        final Process process;
        final int localPort = FreePort.find();

        Tunnel(Path key, String user, String target) throws IOException {
            List<String> argv = new ArrayList<>(List.of("ssh"));
            argv.addAll(sshOptions(key));
            argv.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":" + target, user + "@127.0.0.1"));
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> listening() || !process.isAlive());
        }

        boolean listening() {
            return FreePort.listening(localPort);
        }

        Proc.Result psql(JsonNode credentials) {
            return BastionIT.psql(localPort, credentials);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    static Proc.Result psql(int port, JsonNode credentials) {
        return Proc.run(List.of("psql", "-X", "-At", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                credentials.path("username").asText(), "-d", "app", "-c", "SELECT 'through the bastion'"),
                Map.of("PGPASSWORD", credentials.path("password").asText(), "PGCONNECT_TIMEOUT", "5"), null, null, 30);
    }

    @Test
    void stratumTunnelOpensALocalPortThroughTheBastion() throws Exception {
        int port = FreePort.find();
        Process tunnel = ServerProcess.background(h.root(), "tunnel", "shoppg", "--key", shopKey.toString(), "--local-port",
                String.valueOf(port));
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> FreePort.listening(port));
            Proc.Result r = psql(port, h.credentials("shoppg"));
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo("through the bastion");
        } finally {
            tunnel.destroy();
            tunnel.waitFor();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !FreePort.listening(port));
    }

    @Test
    void sessionsEndAfterTheMaximumSessionTime() throws Exception {
        try (EngineHarness limited = new EngineHarness("bastion-limit", ServerOptions.Engines.defaults().withPortRange("23380-23399"),
                o -> o.withBastion(o.bastion().withTimeouts(Duration.ofMinutes(15), Duration.ofSeconds(3))))) {
            assertThat(limited.cli("stack", "create", "shop").exit()).isZero();
            Path key = keys.resolve("limited.key");
            assertThat(limited.cli("bastion", "key", "create", "--stack", "shop", "--out", key.toString()).exit()).isZero();
            int port = limited.api().get("/v1/bastion").path("port").asInt();
            List<String> argv = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-p", String.valueOf(port), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-N", "shop@127.0.0.1"));
            Process ssh = new ProcessBuilder(argv).redirectErrorStream(true).start();
            assertThat(ssh.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)).as("logged in, holding the session").isFalse();
            assertThat(ssh.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("closed by the bastion after 3 s").isTrue();
        }
    }

    static String endpoint(String instance) {
        JsonNode i = h.instance(instance);
        return i.path("endpoint").path("host").asText() + ":" + i.path("endpoint").path("port").asInt();
    }

    @Test
    void anAllowedKeyTunnelsToItsStacksInstanceWithOpenSsh() throws Exception {
        String command = ok("bastion", "command", "shoppg", "--local-port", "25432", "--key", shopKey.toString()).out();
        assertThat(command).contains("ssh -i " + shopKey + " -f -N -L 25432:" + endpoint("shoppg") + " shop@127.0.0.1 -p " + bastionPort)
                .contains("-N   run no remote command")
                .contains("PGPASSWORD=\"$(stratum secret get shop/prod/shoppg/master -o json | jq -r .value.password)\" PGDATABASE=app "
                        + "PGHOST=127.0.0.1 PGPORT=25432 PGUSER=app psql");
        // the password command the hint runs gives the master password
        assertThat(ok("secret", "get", "shop/prod/shoppg/master", "-o", "json").json().path("value").path("password").asText())
                .isEqualTo(h.credentials("shoppg").path("password").asText());
        try (Tunnel t = new Tunnel(shopKey, "shop", endpoint("shoppg"))) {
            Proc.Result r = t.psql(h.credentials("shoppg"));
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo("through the bastion");
        }
        String fingerprint = h.api().get("/v1/bastion/keys?stack=shop").get(0).path("fingerprint").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api().get("/v1/events?limit=1000").toString().contains("bastion.tunnel-closed"));
        String events = h.api().get("/v1/events?limit=1000").toString();
        assertThat(events).contains("bastion.tunnel-opened").contains("bastion key " + fingerprint).contains("to " + endpoint("shoppg"));
    }

    @Test
    void everythingButLocalForwardingIsRefused() throws Exception {
        Proc.Result exec = ssh(shopKey, "shop", List.of(), "true");
        assertThat(exec.exit()).as("exec").isNotZero();
        assertThat(exec.stderr()).as("refused by the bastion, after a successful login").contains("open failed");
        Proc.Result shell = ssh(shopKey, "shop", List.of("-tt"));
        assertThat(shell.exit()).as("interactive shell").isNotZero();
        assertThat(shell.stderr()).contains("open failed");
        Proc.Result remote = ssh(shopKey, "shop", List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22"));
        assertThat(remote.exit()).as("-R").isNotZero();
        assertThat(remote.stderr()).contains("remote port forwarding failed");
        List<String> sftp = new ArrayList<>(List.of("sftp", "-b", "-", "-P", String.valueOf(bastionPort), "-i", shopKey.toString(),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "shop@127.0.0.1"));
        assertThat(Proc.run(sftp, null, null, "ls\n", 30).exit()).as("sftp").isNotZero();

        Proc.Result password = ssh(shopKey, "shop", List.of("-o", "PubkeyAuthentication=no", "-o",
                "PreferredAuthentications=password,keyboard-interactive"), "true");
        assertThat(password.exit()).isNotZero();
        assertThat(password.stderr()).contains("Permission denied (publickey)");
        assertThat(ssh(shopKey, "other", List.of("-N")).stderr()).as("key of another stack")
                .contains("Permission denied");

        try (Tunnel other = new Tunnel(shopKey, "shop", endpoint("otherpg"))) {
            assertThat(other.psql(h.credentials("otherpg")).exit()).as("instance of another stack").isNotZero();
        }
        int apiPort = h.server.port();
        try (Tunnel outside = new Tunnel(shopKey, "shop", "127.0.0.1:" + apiPort); Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", outside.localPort), 5000);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).as("a target outside Stratum is closed at once").isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api().get("/v1/events?limit=1000").toString().contains("bastion.tunnel-refused"));
        assertThat(h.api().get("/v1/events?limit=1000").toString()).contains("is not an endpoint of stack shop");
    }

    @Test
    void revokingAKeyClosesItsOpenSessionsAndTheirTunnels() throws Exception {
        Path key = keys.resolve("live.key");
        String id = h.cli("-o", "json", "bastion", "key", "create", "--stack", "shop", "--out", key.toString()).json().path("id").asText();
        try (Tunnel t = new Tunnel(key, "shop", endpoint("shoppg"))) {
            assertThat(t.psql(h.credentials("shoppg")).exit()).isZero();
            // a session held open through the tunnel while the key is revoked
            JsonNode c = h.credentials("shoppg");
            ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-At", "-h", "127.0.0.1", "-p", String.valueOf(t.localPort), "-U",
                    c.path("username").asText(), "-d", "app", "-c", "SELECT pg_sleep(60)").redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", c.path("password").asText());
            Process held = pb.start();
            held.getOutputStream().close();
            Thread.sleep(1000);
            ok("bastion", "key", "revoke", id);
            assertThat(held.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).as("the open connection was cut").isTrue();
            assertThat(t.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).as("the ssh session was closed").isTrue();
            held.destroyForcibly();
        }
        assertThat(h.api().get("/v1/events?limit=1000").toString()).contains("bastion.session-closed");
    }

    @Test
    void revokedAndExpiredKeysAreRefused() throws Exception {
        Path revoked = keys.resolve("revoked.key");
        String id = h.cli("-o", "json", "bastion", "key", "create", "--stack", "shop", "--out", revoked.toString()).json().path("id").asText();
        assertThat(Files.getPosixFilePermissions(revoked)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Tunnel t = new Tunnel(revoked, "shop", endpoint("shoppg"))) {
            assertThat(t.psql(h.credentials("shoppg")).exit()).isZero();
        }
        ok("bastion", "key", "revoke", id);
        assertThat(ssh(revoked, "shop", List.of("-N", "-L", FreePort.find() + ":" + endpoint("shoppg"))).stderr())
                .contains("Permission denied (publickey)");
        assertThat(h.cli("bastion", "key", "list", "--stack", "shop").out()).contains(id).contains("revoked");

        Path expiring = keys.resolve("expiring.key");
        ok("bastion", "key", "create", "--stack", "shop", "--out", expiring.toString(), "--expires", "2s");
        Thread.sleep(2500);
        assertThat(ssh(expiring, "shop", List.of("-N", "-L", FreePort.find() + ":" + endpoint("shoppg"))).stderr())
                .contains("Permission denied (publickey)");
    }

    @Test
    void badKeyInputIsRefusedAndNothingIsWritten() throws Exception {
        Path existing = keys.resolve("exists.key");
        Files.writeString(existing, "keep me");
        EngineHarness.Run r = h.cli("bastion", "key", "create", "--stack", "shop", "--out", existing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        Path priv = keys.resolve("private-as-public");
        Files.writeString(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        r = h.cli("bastion", "key", "create", "--stack", "shop", "--public-key-file", priv.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("publicKey").contains("private key");
        Path nostack = keys.resolve("nostack.key");
        r = h.cli("bastion", "key", "create", "--stack", "nosuch", "--out", nostack.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(nostack).doesNotExist();
        assertThat(h.cli("bastion", "key", "create", "--stack", "shop", "--out", keys.resolve("x.key").toString(), "--expires", "forever")
                .err()).contains("expires");
        assertThat(h.api().get("/v1/bastion/keys?stack=shop").toString()).doesNotContain("private");
    }
}
