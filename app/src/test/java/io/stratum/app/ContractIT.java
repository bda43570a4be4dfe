package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.testkit.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection contract: a Node.js program given nothing but {@code stratum run} talks to PostgreSQL, MariaDB and
 * Redis; {@code env} names secrets unless revealed; no password is stored in plaintext anywhere under STRATUM_HOME.
 */
class ContractIT {
    static final Path EXAMPLE = Path.of("..", "examples", "node-app").toAbsolutePath().normalize();
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-contract-", "21600-21699", Duration.ofSeconds(15));
        assertThat(h.cli("stack", "create", "shop").exit()).isZero();
        assertThat(h.cli("stage", "create", "shop/prod").exit()).isZero();
        for (String[] i : new String[][] {{"orders", "postgres"}, {"legacy", "mariadb"}, {"cache", "redis"}}) {
            var r = h.cli("db", "create", i[0], "--engine", i[1], "--class", "micro", "--stack", "shop", "--stage", "prod");
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Proc.Result packaged(Map<String, String> env, Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString()));
        argv.addAll(List.of(args));
        Map<String, String> full = new java.util.HashMap<>(env);
        full.put("STRATUM_HOME", h.root().toString());
        return Proc.run(argv, full, dir, null, 300);
    }

    @Test
    void aNodeProgramConnectsToAllThreeEnginesWithNothingButStratumRun() throws Exception {
        Path app = h.root().resolve("node-app");
        Files.createDirectories(app);
        for (String f : List.of("package.json", "package-lock.json", "app.js")) Files.copy(EXAMPLE.resolve(f), app.resolve(f));
        var install = Proc.run(List.of("npm", "ci", "--no-audit", "--no-fund"), null, app, null, 300);
        assertThat(install.exit()).as(install.stderr()).isZero();
        var run = packaged(Map.of(), app, "run", "--stack", "shop", "--stage", "prod", "--", "node", "app.js");
        assertThat(run.exit()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stdout()).containsPattern("pg ok hello-\\d+").containsPattern("mysql ok hello-\\d+")
                .containsPattern("redis ok hello-\\d+");
        assertThat(h.client("orders", "SELECT count(*) FROM greetings").stdout().strip()).isEqualTo("1");
    }

    @Test
    void envNamesSecretsUnlessRevealed() {
        var plain = h.cli("env", "shop", "prod");
        assertThat(plain.exit()).isZero();
        String orders = h.credentials("orders").path("password").asText();
        assertThat(plain.out()).contains("PG_HOST=127.0.0.1").contains("PG_CREDENTIALS_SECRET=shop/prod/orders/master")
                .contains("MYSQL_CREDENTIALS_SECRET=shop/prod/legacy/master").contains("REDIS_CREDENTIALS_SECRET=shop/prod/cache/master")
                .contains("DATABASE_URL=postgres://app@127.0.0.1:").doesNotContain(orders);
        var revealed = h.cli("env", "shop", "prod", "--format", "json", "--reveal");
        JsonNode vars = revealed.json();
        assertThat(vars.path("PG_CREDENTIALS_SECRET").asText()).isEqualTo(orders);
        assertThat(vars.path("DATABASE_URL").asText()).isEqualTo("postgres://app:" + orders + "@127.0.0.1:"
                + vars.path("PG_PORT").asText() + "/app");
        assertThat(vars.path("REDIS_URL").asText()).startsWith("redis://app:");
        var shell = h.cli("env", "shop", "prod", "--format", "shell");
        assertThat(shell.out()).contains("export PG_PORT='");
    }

    @Test
    void aSecondInstanceOfAnEngineIsPrefixedWithItsName() {
        assertThat(h.cli("db", "create", "reports", "--engine", "postgres", "--class", "micro", "--stack", "shop", "--stage", "prod")
                .exit()).isZero();
        JsonNode vars = h.cli("env", "shop", "prod", "--format", "json").json();
        assertThat(vars.has("PG_HOST")).isTrue();
        assertThat(vars.path("REPORTS_PG_CREDENTIALS_SECRET").asText()).isEqualTo("shop/prod/reports/master");
        assertThat(vars.path("DATABASE_URL").asText()).contains(":" + h.instance("orders").path("endpoint").path("port").asText() + "/");
        assertThat(h.cli("db", "delete", "reports", "--confirm", "reports", "--skip-final-snapshot").exit()).isZero();
        assertThat(h.api().get("/v1/secrets").toString()).doesNotContain("shop/prod/reports/master");
    }

    @Test
    void badStackOrStageAndReaderRevealAreRefused() {
        assertThat(h.cli("env", "shop", "nowhere").exit()).isEqualTo(3);
        assertThat(h.cli("env", "Shop", "prod").exit()).isEqualTo(2);
        var token = h.cli("token", "create", "--name", "viewer", "--role", "reader", "-o", "json").json().path("token").asText();
        var asReader = packaged(Map.of("STRATUM_TOKEN", token), null, "env", "shop", "prod", "--reveal");
        assertThat(asReader.exit()).isEqualTo(2);
        assertThat(asReader.stderr()).contains("role reader");
        assertThat(packaged(Map.of("STRATUM_TOKEN", token), null, "env", "shop", "prod").exit()).isZero();
    }

    @Test
    void noPasswordIsStoredInPlaintextUnderTheHome() throws IOException {
        List<String> passwords = h.masterPasswords();
        assertThat(passwords).isNotEmpty();
        h.cli("db", "reboot", "cache");
        List<Path> scanned = new ArrayList<>();
        try (Stream<Path> files = Files.walk(h.root())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = h.root().relativize(f);
                if (rel.getNameCount() > 2 && rel.getName(0).toString().equals("instances") && rel.getName(2).toString().equals("data")) {
                    continue; // the engines' own data directories
                }
                if (rel.startsWith("node-app")) continue;
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String pw : passwords) assertThat(content).as("password in " + rel).doesNotContain(pw);
                scanned.add(rel);
            }
        }
        assertThat(scanned).anyMatch(p -> p.toString().endsWith("users.acl"))
                .anyMatch(p -> p.toString().endsWith("postgresql.conf")).anyMatch(p -> p.toString().endsWith("stratum.db"))
                .anyMatch(p -> p.toString().endsWith("postgresql.log")).anyMatch(p -> p.toString().endsWith("mariadb.err"));
        String acl = Files.readString(h.root().resolve("instances/cache/conf/users.acl"));
        assertThat(acl).containsPattern("user app on #[0-9a-f]{64}");
    }
}
