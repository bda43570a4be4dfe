package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** --tls require: plain connections are refused; verified TLS with the internal CA (from 'stratum ca show') works. */
class TlsIT {
    static EngineHarness h;
    static Path ca;

    @BeforeAll
    static void start() throws Exception {
        h = new EngineHarness("stratum-tls-", "21800-21899", Duration.ofSeconds(15));
        for (String[] i : new String[][] {{"tls-pg", "postgres"}, {"tls-my", "mariadb"}, {"tls-rd", "redis"}}) {
            var r = h.cli("db", "create", i[0], "--engine", i[1], "--class", "micro", "--tls", "require", "-o", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.json().path("tls").asText()).isEqualTo("require");
        }
        var shown = h.cli("ca", "show");
        assertThat(shown.out()).startsWith("-----BEGIN CERTIFICATE-----");
        ca = h.root().resolve("client-ca.pem");
        Files.writeString(ca, shown.out());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static JsonNode creds(String name) {
        return h.credentials(name);
    }

    @Test
    void postgresRefusesPlainAndAcceptsVerifiedTls() {
        JsonNode c = creds("tls-pg");
        String conn = "host=127.0.0.1 port=" + c.path("port").asText() + " user=app dbname=app";
        var plain = Proc.run(List.of("psql", "-X", "-At", conn + " sslmode=disable", "-c", "SELECT 1"),
                Map.of("PGPASSWORD", c.path("password").asText()), null, null, 30);
        assertThat(plain.exit()).isNotZero();
        assertThat(plain.stderr()).contains("no encryption");
        var verified = Proc.run(List.of("psql", "-X", "-At", conn + " sslmode=verify-full sslrootcert=" + ca, "-c",
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), Map.of("PGPASSWORD", c.path("password").asText()), null, null, 30);
        assertThat(verified.exit()).as(verified.stderr()).isZero();
        assertThat(verified.stdout().strip()).isEqualTo("t");
    }

    @Test
    void mariadbRefusesPlainAndAcceptsVerifiedTls() {
        JsonNode c = creds("tls-my");
        List<String> base = List.of("mariadb", "--no-defaults", "-N", "-h", "127.0.0.1", "-P", c.path("port").asText(), "-u", "app");
        var plain = Proc.run(concat(base, "--skip-ssl", "-e", "SELECT 1"), Map.of("MYSQL_PWD", c.path("password").asText()), null, null, 30);
        assertThat(plain.exit()).as("plain connection to a require instance").isNotZero();
        // control: the same plain connection to an instance without 'require' works, so the refusal above is the TLS rule
        assertThat(h.cli("db", "create", "tls-my-prefer", "--engine", "mariadb", "--class", "micro").exit()).isZero();
        JsonNode p = creds("tls-my-prefer");
        var control = Proc.run(List.of("mariadb", "--no-defaults", "-N", "-h", "127.0.0.1", "-P", p.path("port").asText(), "-u", "app",
                "--skip-ssl", "-e", "SELECT 1"), Map.of("MYSQL_PWD", p.path("password").asText()), null, null, 30);
        assertThat(control.exit()).as(control.stderr()).isZero();
        var verified = Proc.run(concat(base, "--ssl-verify-server-cert", "--ssl-ca=" + ca, "-e", "SHOW STATUS LIKE 'Ssl_version'"),
                Map.of("MYSQL_PWD", c.path("password").asText()), null, null, 30);
        assertThat(verified.exit()).as(verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("TLSv1");
    }

    @Test
    void redisServesTlsOnlyAndAcceptsVerifiedTls() {
        JsonNode c = creds("tls-rd");
        Map<String, String> auth = Map.of("REDISCLI_AUTH", c.path("password").asText());
        List<String> base = List.of("redis-cli", "-h", "127.0.0.1", "-p", c.path("port").asText(), "--user", "app", "--no-auth-warning");
        var plain = Proc.run(concat(base, "PING"), auth, null, null, 30);
        assertThat(plain.stdout()).doesNotContain("PONG");
        var verified = Proc.run(concat(base, "--tls", "--cacert", ca.toString(), "PING"), auth, null, null, 30);
        assertThat(verified.stdout()).as(verified.stderr()).contains("PONG");
    }

    @Test
    void theContractCarriesTheTlsParameters() {
        assertThat(h.cli("stack", "create", "secure").exit()).isZero();
        assertThat(h.cli("stage", "create", "secure/prod").exit()).isZero();
        assertThat(h.cli("db", "create", "sec-pg", "--engine", "postgres", "--class", "micro", "--tls", "require", "--stack", "secure",
                "--stage", "prod").exit()).isZero();
        assertThat(h.cli("db", "create", "sec-rd", "--engine", "redis", "--class", "micro", "--tls", "require", "--stack", "secure",
                "--stage", "prod").exit()).isZero();
        JsonNode vars = h.cli("env", "secure", "prod", "--format", "json").json();
        String stratumCa = h.root().resolve("ca/ca.pem").toString();
        assertThat(vars.path("DATABASE_URL").asText()).endsWith("/app?sslmode=verify-full&sslrootcert="
                + java.net.URLEncoder.encode(stratumCa, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(vars.path("PG_SSLROOTCERT").asText()).isEqualTo(stratumCa);
        assertThat(vars.path("REDIS_URL").asText()).startsWith("rediss://");
        assertThat(vars.path("REDIS_SSLROOTCERT").asText()).isEqualTo(stratumCa);
    }

    /**
     * node-postgres treats sslmode=require as verify-full: with the contract's URL alone it verifies the instance's
     * certificate and name against Stratum's CA; against another CA it refuses.
     */
    @Test
    void nodePostgresVerifiesWithNothingButTheContract() throws Exception {
        assertThat(h.cli("stack", "create", "nodetls").exit()).isZero();
        assertThat(h.cli("stage", "create", "nodetls/prod").exit()).isZero();
        assertThat(h.cli("db", "create", "node-pg", "--engine", "postgres", "--class", "micro", "--tls", "require", "--stack", "nodetls",
                "--stage", "prod").exit()).isZero();
        Path app = h.root().resolve("node-tls");
        Files.createDirectories(app);
        Path example = Path.of("..", "examples", "node-app").toAbsolutePath().normalize();
        for (String f : List.of("package.json", "package-lock.json")) Files.copy(example.resolve(f), app.resolve(f));
        Files.writeString(app.resolve("tls.js"), """
                const { Client } = require('pg');
                (async () => {
                  const pg = new Client({ connectionString: process.env.DATABASE_URL });
                  await pg.connect();
                  const r = await pg.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
                  console.log('pg tls ' + r.rows[0].ssl);
                  await pg.end();
                })().catch((e) => { console.error(String(e.code || e.message)); process.exit(1); });
                """);
        var install = Proc.run(List.of("npm", "ci", "--no-audit", "--no-fund"), null, app, null, 300);
        assertThat(install.exit()).as(install.stderr()).isZero();
        var run = ServerProcess.cli(h.root(), "run", "--stack", "nodetls", "--stage", "prod", "--", "sh", "-c", "cd " + app + " && node tls.js");
        assertThat(run.exit()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stdout()).contains("pg tls true");
        // a user with the CLI set up elsewhere (STRATUM_CA: their copy of the CA): run points the driver at that copy
        var elsewhere = Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "run", "--stack", "nodetls", "--stage",
                "prod", "--", "sh", "-c", "echo \"root cert $PG_SSLROOTCERT\"; cd " + app + " && node tls.js"),
                Map.of("STRATUM_HOME", h.root().toString(), "STRATUM_CA", ca.toString()), null, null, 120);
        assertThat(elsewhere.exit()).as(elsewhere.stderr() + elsewhere.stdout()).isZero();
        assertThat(elsewhere.stdout()).contains("root cert " + ca).contains("pg tls true");

        // the same URL with another CA's certificate: the driver refuses the instance
        Path other = Files.createTempDirectory("other-ca");
        io.stratum.server.security.InternalCa.loadOrCreate(other.resolve("ca.pem"), other.resolve("ca.key"));
        JsonNode vars = h.cli("env", "nodetls", "prod", "--format", "json", "--reveal").json();
        String url = vars.path("DATABASE_URL").asText().replace(
                java.net.URLEncoder.encode(vars.path("PG_SSLROOTCERT").asText(), java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLEncoder.encode(other.resolve("ca.pem").toString(), java.nio.charset.StandardCharsets.UTF_8));
        var refused = Proc.run(List.of("node", "tls.js"), Map.of("DATABASE_URL", url), app, null, 60);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).containsAnyOf("SELF_SIGNED", "UNABLE_TO_VERIFY", "certificate");
    }

    /** db connect reaches a TLS-required instance of every engine, verified against the CA the CLI trusts. */
    @Test
    void dbConnectSpeaksTlsToEveryEngine() {
        for (String[] c : new String[][] {{"tls-pg", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n", "t"},
                {"tls-my", "SHOW STATUS LIKE 'Ssl_version';\n", "TLSv1"}}) {
            var r = Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "db", "connect", c[0]),
                    Map.of("STRATUM_HOME", h.root().toString()), null, c[1], 60);
            assertThat(r.exit()).as(c[0] + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).contains(c[2]);
        }
        var redis = ServerProcess.cli(h.root(), "db", "connect", "tls-rd", "--", "PING");
        assertThat(redis.exit()).as(redis.stderr()).isZero();
        assertThat(redis.stdout()).contains("PONG");
    }

    @Test
    void modifyTlsToRequireRefusesPlainConnectionsFromThenOn() {
        assertThat(h.cli("db", "create", "tls-later", "--engine", "postgres", "--class", "micro").exit()).isZero();
        JsonNode c = creds("tls-later");
        List<String> plain = List.of("psql", "-X", "-At", "host=127.0.0.1 port=" + c.path("port").asText()
                + " user=app dbname=app sslmode=disable", "-c", "SELECT 1");
        Map<String, String> pw = Map.of("PGPASSWORD", c.path("password").asText());
        assertThat(Proc.run(plain, pw, null, null, 30).exit()).isZero();
        assertThat(h.cli("db", "modify", "tls-later", "--tls", "require").exit()).isZero();
        assertThat(h.instance("tls-later").path("pendingModifications").path("tls").asText()).isEqualTo("require");
        assertThat(Proc.run(plain, pw, null, null, 30).exit()).as("pending until the reboot").isZero();
        assertThat(h.cli("db", "reboot", "tls-later").exit()).isZero();
        assertThat(h.instance("tls-later").path("tls").asText()).isEqualTo("require");
        assertThat(Proc.run(plain, pw, null, null, 30).exit()).isNotZero();
    }

    static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
