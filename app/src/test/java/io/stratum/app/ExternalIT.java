package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.ExternalMariadb;
import io.stratum.testkit.ExternalPostgres;
import io.stratum.testkit.FreePort;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestSshd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * External databases: a PostgreSQL and a MariaDB started outside Stratum, behind OpenSSH's sshd (key-only), registered
 * with tunnels through the packaged CLI (password on stdin), then used with the real clients through `db connect`.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalIT {
    static EngineHarness h;
    static TestSshd sshd;
    static ExternalPostgres pg;
    static ExternalMariadb maria;

    @BeforeAll
    static void start() {
        h = new EngineHarness("external-it", ServerOptions.Engines.defaults().withPortRange("23400-23499"));
        sshd = TestSshd.start();
        pg = ExternalPostgres.start();
        maria = ExternalMariadb.start();
        assertThat(h.cli("stack", "create", "shop").exit()).isZero();
        assertThat(h.cli("stage", "create", "shop/prod").exit()).isZero();
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            if (maria != null) maria.close();
            if (pg != null) pg.close();
            if (sshd != null) sshd.close();
        }
    }

    /** The packaged CLI as a user runs it, with {@code stdin}. */
    static Proc.Result stratum(String stdin, String... args) {
        return ServerProcess.cliWithInput(h.root(), stdin, args);
    }

    static List<String> sshArgs() {
        return List.of("--ssh-host", "127.0.0.1", "--ssh-port", String.valueOf(sshd.port()), "--ssh-user", sshd.user(),
                "--ssh-key-file", sshd.clientKey().toString());
    }

    static Proc.Result register(String name, String engine, int port, String user, String password, String database, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("external", "register", name, "--engine", engine, "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--user", user, "--password-stdin", "--database", database, "--stack", "shop", "--stage", "prod"));
        args.addAll(extra);
        return stratum(password + "\n", args.toArray(String[]::new));
    }

    static String fingerprint(String publicKeyLine) {
        return Proc.run(List.of("ssh-keygen", "-lf", "-"), null, null, publicKeyLine + "\n", 10).stdout().split("\\s+")[1];
    }

    static Proc.Result connect(String name, String... clientArgs) {
        List<String> args = new ArrayList<>(List.of("db", "connect", name, "--"));
        args.addAll(List.of(clientArgs));
        return stratum("", args.toArray(String[]::new));
    }

    static String events() {
        return h.api().get("/v1/events?limit=1000").toString();
    }

    @Test
    @Order(1)
    void registeredThroughSshTunnelsTheyWorkWithTheRealClients() throws Exception {
        Proc.Result r = register("extpg", "postgres", pg.port(), "postgres", pg.password(), "postgres", sshArgs());
        assertThat(r.exit()).as(r.stderr() + r.stdout()).isZero();
        assertThat(r.stdout()).contains("trusted on first use").contains(fingerprint(sshd.hostKey()));
        r = register("extmaria", "mysql", maria.port(), "app", maria.password(), "app", sshArgs());
        assertThat(r.exit()).as(r.stderr() + r.stdout()).isZero();

        Proc.Result q = connect("extpg", "-At", "-c", "SELECT 'pg through the tunnel'");
        assertThat(q.exit()).as(q.stderr()).isZero();
        assertThat(q.stdout().strip()).isEqualTo("pg through the tunnel");
        q = connect("extmaria", "-N", "-B", "-e", "SELECT 'maria through the tunnel'");
        assertThat(q.exit()).as(q.stderr()).isZero();
        assertThat(q.stdout().strip()).isEqualTo("maria through the tunnel");

        JsonNode list = h.api().get("/v1/instances");
        assertThat(list.toString()).contains("\"name\":\"extpg\"").contains("\"managed\":false");
        assertThat(h.instance("extpg").path("status").asText()).isEqualTo("available");
        assertThat(h.instance("extpg").path("role").asText()).contains("external via ssh");

        Proc.Result env = stratum("", "env", "shop", "prod");
        assertThat(env.exit()).as(env.stderr()).isZero();
        assertThat(env.stdout()).contains("PG_HOST=127.0.0.1").contains("PG_PORT=" + pg.port())
                .contains("MYSQL_PORT=" + maria.port()).contains("PG_CREDENTIALS_SECRET=shop/prod/extpg/master")
                .doesNotContain(pg.password());
        assertThat(events()).contains("external.registered").contains("through ssh");

        String sshKey = java.nio.file.Files.readString(sshd.clientKey());
        String keyBody = sshKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        String log = java.nio.file.Files.readString(h.root().resolve("log/stratum.log"));
        for (String secret : List.of(pg.password(), maria.password(), keyBody)) {
            assertThat(log).doesNotContain(secret);
            assertThat(events()).doesNotContain(secret);
            assertThat(io.stratum.testkit.ProcessArguments.containing(List.of(secret))).isEmpty();
        }

        Proc.Result reboot = stratum("", "db", "reboot", "extpg");
        assertThat(reboot.exit()).isEqualTo(4);
        assertThat(reboot.stderr()).contains("external instance").contains("provider");
    }

    @Test
    @Order(2)
    void aKilledSshdIsReconnectedWithinTenSeconds() {
        sshd.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> events().contains("external.tunnel-down"));
        sshd.restart();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> events().contains("external.tunnel-restored"));
        Proc.Result q = connect("extpg", "-At", "-c", "SELECT 'back'");
        assertThat(q.exit()).as(q.stderr()).isZero();
        assertThat(q.stdout().strip()).isEqualTo("back");
        q = connect("extmaria", "-N", "-B", "-e", "SELECT 'back'");
        assertThat(q.exit()).as(q.stderr()).isZero();
    }

    @Test
    @Order(3)
    void anExternalPostgresIsBackedUpThroughItsTunnelAndRestoresIntoAManagedInstance() {
        Proc.Result create = connect("extpg", "-At", "-v", "ON_ERROR_STOP=1", "-c", "CREATE TABLE invoices (id int PRIMARY KEY, note text); "
                + "INSERT INTO invoices SELECT g, 'provider-row-' || g FROM generate_series(1, 3000) g;");
        assertThat(create.exit()).as(create.stderr()).isZero();
        String expected = connect("extpg", "-At", "-c", "SELECT count(*) || ' ' || md5(string_agg(id || note, ',' ORDER BY id)) FROM invoices")
                .stdout().strip();
        Proc.Result backup = stratum("", "backup", "create", "extpg");
        assertThat(backup.exit()).as(backup.stderr() + backup.stdout()).isZero();
        JsonNode b = h.api().get("/v1/backups?instance=extpg").get(0);
        assertThat(b.path("status").asText()).isEqualTo("available");
        assertThat(b.path("version").asText()).isEqualTo("external");
        assertThat(h.instance("extpg").path("latestBackup").path("status").asText()).as("db show").isEqualTo("available");
        assertThat(events()).contains("external.backup").contains("through the tunnel");
        assertThat(io.stratum.testkit.ProcessArguments.containing(List.of(pg.password()))).isEmpty();

        Proc.Result restore = stratum("", "backup", "restore", b.path("id").asText(), "--to", "extpgcopy");
        assertThat(restore.exit()).as(restore.stderr() + restore.stdout()).isZero();
        assertThat(h.instance("extpgcopy").path("managed").asBoolean()).isTrue();
        Proc.Result copy = h.client("extpgcopy", "SELECT count(*) || ' ' || md5(string_agg(id || note, ',' ORDER BY id)) FROM invoices");
        assertThat(copy.exit()).as(copy.stderr()).isZero();
        assertThat(copy.stdout().strip()).isEqualTo(expected).startsWith("3000 ");
        Proc.Result maria = stratum("", "backup", "create", "extmaria");
        assertThat(maria.exit()).as("not yet for external MariaDB: refused up front").isEqualTo(2);
        assertThat(maria.stderr()).contains("not available yet");
        Proc.Result drill = stratum("", "backup", "verify", b.path("id").asText());
        assertThat(drill.exit()).as(drill.stderr() + drill.stdout()).isZero();
        assertThat(drill.stdout()).contains("passed");
        // the drill's scratch instance is outside any stack, its operation is the backup's stack's work (fair workers,
        // concurrent-operation quota): the stack's operators see it
        String operator = h.ok("token", "create", "--name", "drill-watch", "--role", "operator", "--stack", "shop", "-o", "json").json()
                .path("token").asText();
        Proc.Result ops = Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "op", "list", "-o", "json"),
                Map.of("STRATUM_HOME", h.root().toString(), "STRATUM_TOKEN", operator), null, null, 60);
        assertThat(ops.stdout()).contains("drill-");
    }

    @Test
    @Order(4)
    void stratumTunnelGivesDesktopToolsALocalPort() throws Exception {
        int port = FreePort.find();
        Process tunnel = ServerProcess.background(h.root(), "tunnel", "extmaria", "--local-port", String.valueOf(port));
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> FreePort.listening(port));
            Proc.Result r = Proc.run(List.of("mariadb", "--no-defaults", "-N", "-B", "-h", "127.0.0.1", "-P", String.valueOf(port), "-u", "app",
                    "app", "-e", "SELECT 'desktop tool'"), Map.of("MYSQL_PWD", maria.password()), null, null, 30);
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip()).isEqualTo("desktop tool");
        } finally {
            tunnel.destroy();
            tunnel.waitFor();
        }
    }

    @Test
    @Order(8)
    void tlsRequireVerifiesTheProvidersCertificateAndEncryptOnlySaysItDoesNot() throws Exception {
        try (io.stratum.testkit.ExternalPostgres tlsPg = io.stratum.testkit.ExternalPostgres.startWithTls()) {
            String ca = tlsPg.caFile().toString();
            Proc.Result unverifiable = register("exttlsx", "postgres", tlsPg.port(), "postgres", tlsPg.password(), "postgres",
                    List.of("--tls", "require"));
            assertThat(unverifiable.exit()).as("the system's CAs do not know this provider's CA").isEqualTo(2);
            assertThat(unverifiable.stderr()).contains("host:");
            Proc.Result verified = register("exttls", "postgres", tlsPg.port(), "postgres", tlsPg.password(), "postgres",
                    List.of("--tls", "require", "--ca-file", ca));
            assertThat(verified.exit()).as(verified.stderr()).isZero();
            assertThat(h.instance("exttls").path("tls").asText()).isEqualTo("require");
            h.ok("backup", "create", "exttls"); // pg_dump verifies the certificate too
            Proc.Result encryptOnly = register("exttlse", "postgres", tlsPg.port(), "postgres", tlsPg.password(), "postgres",
                    List.of("--tls", "encrypt-only"));
            assertThat(encryptOnly.exit()).as(encryptOnly.stderr()).isZero();
            assertThat(h.instance("exttlse").path("tls").asText()).isEqualTo("encrypt-only");
            Proc.Result caWithoutVerify = register("exttlsz", "postgres", tlsPg.port(), "postgres", tlsPg.password(), "postgres",
                    List.of("--tls", "encrypt-only", "--ca-file", ca));
            assertThat(caWithoutVerify.exit()).isEqualTo(2);
            assertThat(caWithoutVerify.stderr()).contains("caFile");
            for (String name : List.of("exttls", "exttlse")) h.ok("external", "delete", name, "--confirm", name);
            assertThat(h.root().resolve("externals/exttls")).as("its CA file goes with it").doesNotExist();
            // the same name again without --ca-file: the CA registered before under that name is not trusted any more
            Proc.Result again = register("exttls", "postgres", tlsPg.port(), "postgres", tlsPg.password(), "postgres",
                    List.of("--tls", "require"));
            assertThat(again.exit()).as(again.stderr()).isEqualTo(2);
            assertThat(h.root().resolve("externals")).isDirectoryNotContaining(f -> f.getFileName().toString().startsWith(".register-"));
        }
    }

    @Test
    @Order(9)
    void registrationValuesAreNamesNeverConnectionStringsAndLocalTargetsAreForAdmins() {
        String victimSocket = h.root().resolve("instances").toString();
        Proc.Result conninfo = register("extinj", "postgres", pg.port(), "postgres", pg.password(),
                "host=" + victimSocket + " user=stratum_admin", List.of());
        assertThat(conninfo.exit()).isEqualTo(2);
        assertThat(conninfo.stderr()).contains("database:").contains("never as connection options");
        Proc.Result jdbc = register("extinj", "postgres", pg.port(), "postgres", pg.password(), "postgres?socketFactory=x", List.of());
        assertThat(jdbc.exit()).isEqualTo(2);
        Proc.Result option = register("extinj", "postgres", pg.port(), "--init-command=x", pg.password(), "postgres", List.of());
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.stderr()).contains("user:");
        // an operator of the stack may not point Stratum at this host's own loopback (its instances, its metadata service)
        String operator = h.ok("token", "create", "--name", "ext-op", "--role", "operator", "--stack", "shop", "-o", "json").json()
                .path("token").asText();
        Proc.Result local = Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "external", "register", "extlocal",
                "--engine", "postgres", "--host", "127.0.0.1", "--port", String.valueOf(pg.port()), "--user", "postgres", "--password-stdin",
                "--database", "postgres", "--stack", "shop", "--stage", "prod"), Map.of("STRATUM_HOME", h.root().toString(), "STRATUM_TOKEN",
                operator), null, pg.password() + "\n", 60);
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.stderr()).contains("loopback or link-local").contains("needs role admin");
        assertThat(h.cli("db", "show", "extinj").exit()).isEqualTo(3);
        assertThat(h.cli("db", "show", "extlocal").exit()).isEqualTo(3);
        // externals count against the stack's instance quota (each costs a health check every 5 s, maybe a tunnel)
        int used = h.ok("stack", "quota", "shop", "-o", "json").json().path("instances").asInt();
        assertThat(used).as("the externals registered above count").isPositive();
        h.ok("stack", "quota", "shop", "--instances", String.valueOf(used));
        Proc.Result over = register("extquota", "postgres", pg.port(), "postgres", pg.password(), "postgres", List.of());
        assertThat(over.exit()).as(over.stderr()).isEqualTo(4);
        assertThat(over.stderr()).contains("instances (managed and external)");
        h.ok("stack", "quota", "shop", "--instances", "20");
    }

    @Test
    @Order(5)
    void directRegistrationWorksAndBadCredentialsRegisterNothing() {
        Proc.Result r = register("extdirect", "postgres", pg.port(), "postgres", pg.password(), "postgres", List.of());
        assertThat(r.exit()).as(r.stderr()).isZero();
        Proc.Result q = connect("extdirect", "-At", "-c", "SELECT 'direct'");
        assertThat(q.stdout().strip()).isEqualTo("direct");
        assertThat(h.instance("extdirect").path("role").asText()).isEqualTo("external (direct)");

        Proc.Result wrong = register("extwrong", "postgres", pg.port(), "postgres", "not-the-password", "postgres", sshArgs());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("password").contains("refused the login").doesNotContain("not-the-password");
        Proc.Result duplicate = register("extmaria", "mysql", maria.port(), "app", maria.password(), "app", sshArgs());
        assertThat(duplicate.exit()).isEqualTo(4);
        assertThat(connect("extmaria", "-N", "-B", "-e", "SELECT 'still up'").stdout().strip()).as("the existing tunnel is untouched")
                .isEqualTo("still up");
        Proc.Result unreachable = register("extgone", "mariadb", FreePort.find(), "app", "x", "app", List.of());
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.stderr()).contains("host").contains("cannot reach");
        String names = h.api().get("/v1/instances").toString();
        assertThat(names).doesNotContain("extwrong").doesNotContain("extgone");
        assertThat(h.api().get("/v1/secrets").toString()).doesNotContain("extwrong").doesNotContain("extgone");
    }

    @Test
    @Order(6)
    void aChangedHostKeyIsRefusedNamingBothFingerprints() {
        String old = sshd.hostKey();
        sshd.newHostKey();
        List<String> pinned = new ArrayList<>(sshArgs());
        pinned.addAll(List.of("--ssh-host-key", old));
        Proc.Result r = register("extpinned", "postgres", pg.port(), "postgres", pg.password(), "postgres", pinned);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("host key").contains("expected " + fingerprint(old)).contains("offered " + fingerprint(sshd.hostKey()));
        assertThat(h.api().get("/v1/instances").toString()).doesNotContain("extpinned");
        await().atMost(Duration.ofSeconds(20)).until(() -> h.instance("extpg").path("status").asText().equals("unreachable"));
        Proc.Result delete = stratum("", "external", "delete", "extpg");
        assertThat(delete.exit()).isEqualTo(4);
        assertThat(stratum("", "external", "delete", "extpg", "--confirm", "extpg").exit()).isZero();
        assertThat(h.api().get("/v1/instances").toString()).doesNotContain("\"extpg\"");
    }
}
