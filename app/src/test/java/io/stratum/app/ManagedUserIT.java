package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import io.stratum.testkit.SourceRelay;
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
 * Managed database users ({@code db user}) on every engine: created by Stratum, given out by {@code stratum env --user},
 * connecting from an admitted network only (127.0.0.2 is in group {@code web}, 127.0.0.3 is not) with exactly the
 * access asked for, rotated, and removed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagedUserIT {
    static final String ADMITTED = "127.0.0.2";
    static final String OTHER = "127.0.0.3";
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("users-it", ServerOptions.Engines.defaults().withPortRange("25300-25399")
                .withFirewall(new ServerOptions.Firewall("nft", "stratum", Duration.ofHours(1))));
        h.ok("stack", "create", "shop");
        h.ok("stage", "create", "shop/prod");
        h.ok("sg", "create", "web");
        h.ok("sg", "authorize", "web", "--cidr", ADMITTED + "/32");
        h.ok("sg", "authorize", "web", "--cidr", "127.0.0.1/32"); // the test's own master-user setup
        for (String[] i : new String[][] {{"upg", "postgres"}, {"umy", "mariadb"}, {"urd", "redis"}}) {
            h.ok("db", "create", i[0], "--engine", i[1], "--stack", "shop", "--stage", "prod", "--security-group", "web");
        }
        h.client("upg", "CREATE TABLE before_users (id int); INSERT INTO before_users VALUES (1)").requireSuccess("master table");
        h.client("umy", "CREATE TABLE before_users (id int); INSERT INTO before_users VALUES (1)").requireSuccess("master table");
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            Proc.run("nft", "delete", "table", "inet", "stratum");
        }
    }

    /** The contract in a managed user's name, as {@code stratum env --user NAME --reveal -o json} prints it. */
    static JsonNode contract(String user) {
        return h.ok("env", "shop", "prod", "--user", user, "--reveal", "-o", "json").json();
    }

    /** Runs SQL (or a Redis command) with the engine's own client from {@code source}, with the contract's variables only. */
    static Proc.Result as(JsonNode env, String block, String source, String... sqlOrCommand) {
        try (SourceRelay relay = SourceRelay.start(source, env.path(block + "_HOST").asText(), env.path(block + "_PORT").asInt())) {
            String port = String.valueOf(relay.port());
            String user = env.path(block + "_USERNAME").asText();
            String pw = env.path(block + "_CREDENTIALS_SECRET").asText();
            return switch (block) {
                case "PG" -> Proc.run(List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port, "-U", user, "-d",
                        env.path("PG_DATABASE").asText(), "-c", sqlOrCommand[0]), Map.of("PGPASSWORD", pw, "PGCONNECT_TIMEOUT", "5"), null,
                        null, 30);
                case "MYSQL" -> Proc.run(List.of("mariadb", "--no-defaults", "-N", "-B", "--connect-timeout=5", "-h", "127.0.0.1", "-P", port,
                        "-u", user, "--database=" + env.path("MYSQL_DATABASE").asText(), "-e", sqlOrCommand[0]), Map.of("MYSQL_PWD", pw), null,
                        null, 30);
                default -> {
                    List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", port, "--user", user, "--no-auth-warning"));
                    argv.addAll(List.of(sqlOrCommand));
                    yield Proc.run(argv, Map.of("REDISCLI_AUTH", pw), null, null, 30);
                }
            };
        }
    }

    @Test
    @Order(1)
    void postgresUsersHaveExactlyTheirAccessFromAdmittedNetworksOnly() {
        h.ok("db", "user", "create", "reporting", "--instance", "upg", "--access", "read");
        h.ok("db", "user", "create", "writer", "--instance", "upg", "--access", "write");
        h.ok("db", "user", "create", "etl", "--instance", "upg", "--database", "warehouse", "--access", "owner");
        h.client("upg", "CREATE TABLE after_users (id int); INSERT INTO after_users VALUES (2)").requireSuccess("a later master table");

        JsonNode reporting = contract("reporting");
        assertThat(reporting.path("PG_USERNAME").asText()).isEqualTo("reporting");
        assertThat(reporting.path("PG_DATABASE").asText()).isEqualTo("app");
        assertThat(reporting.path("DATABASE_URL").asText()).startsWith("postgres://reporting:");
        assertThat(reporting.has("MYSQL_HOST")).as("only instances that have the user").isFalse();
        assertThat(as(reporting, "PG", ADMITTED, "SELECT (SELECT sum(id) FROM before_users) + (SELECT sum(id) FROM after_users)").stdout().strip())
                .isEqualTo("3");
        Proc.Result insert = as(reporting, "PG", ADMITTED, "INSERT INTO before_users VALUES (9)");
        assertThat(insert.exit()).isNotZero();
        assertThat(insert.stderr()).contains("permission denied for table before_users");
        assertThat(as(reporting, "PG", OTHER, "SELECT 1").exit()).as("a network outside the group").isNotZero();

        JsonNode writer = contract("writer");
        assertThat(as(writer, "PG", ADMITTED, "INSERT INTO after_users VALUES (3); SELECT count(*) FROM after_users").stdout().strip()).isEqualTo("2");
        assertThat(as(writer, "PG", ADMITTED, "CREATE TABLE mine (id int)").stderr()).contains("permission denied for schema public");
        assertThat(as(writer, "PG", ADMITTED, "CREATE ROLE sneaky").stderr()).contains("permission denied to create role");

        JsonNode etl = contract("etl");
        assertThat(etl.path("PG_DATABASE").asText()).isEqualTo("warehouse");
        as(etl, "PG", ADMITTED, "CREATE TABLE facts (id int); INSERT INTO facts VALUES (7)").requireSuccess("owner creates tables");
        assertThat(as(etl, "PG", ADMITTED, "SELECT 1 FROM pg_database").exit()).isZero();
        JsonNode etlOnApp = etl.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) etlOnApp).put("PG_DATABASE", "app");
        assertThat(as(etlOnApp, "PG", ADMITTED, "SELECT 1").stderr()).as("its own database only").contains("no pg_hba.conf entry");
        // the master user keeps the use of what an owner user creates
        JsonNode master = h.ok("env", "shop", "prod", "--reveal", "-o", "json").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) master).put("PG_DATABASE", "warehouse");
        assertThat(as(master, "PG", ADMITTED, "SELECT id FROM facts").stdout().strip()).isEqualTo("7");

        // the engine holds only a hash; the password is in the secret store
        String verifier = adminPsql("upg", "SELECT rolpassword FROM pg_authid WHERE rolname = 'reporting'");
        assertThat(verifier).startsWith("SCRAM-SHA-256$").doesNotContain(reporting.path("PG_CREDENTIALS_SECRET").asText());
        assertThat(h.ok("secret", "get", "shop/prod/upg/users/reporting").out()).contains(reporting.path("PG_CREDENTIALS_SECRET").asText());
    }

    static String adminPsql(String instance, String sql) {
        return adminPsql(instance, "postgres", sql);
    }

    static String adminPsql(String instance, String database, String sql) {
        String user = h.instance(instance).path("osUser").asText();
        return Proc.run(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--", "psql", "-X", "-At", "-h",
                h.root().resolve("instances/" + instance + "/run").toString(), "-p", h.instance(instance).path("endpoint").path("port").asText(),
                "-U", "stratum_admin", "-d", database, "-c", sql), null, null, null, 30).stdout().strip();
    }

    @Test
    @Order(2)
    void mariadbUsersHaveExactlyTheirAccess() {
        h.ok("db", "user", "create", "reporting", "--instance", "umy", "--access", "read");
        h.ok("db", "user", "create", "loader", "--instance", "umy", "--database", "staging", "--access", "owner");
        JsonNode reporting = contract("reporting");
        assertThat(reporting.path("MYSQL_USERNAME").asText()).isEqualTo("reporting");
        assertThat(as(reporting, "MYSQL", ADMITTED, "SELECT sum(id) FROM before_users").stdout().strip()).isEqualTo("1");
        assertThat(as(reporting, "MYSQL", ADMITTED, "INSERT INTO before_users VALUES (9)").stderr()).contains("INSERT command denied");
        assertThat(as(reporting, "MYSQL", OTHER, "SELECT 1").exit()).isNotZero();
        assertThat(as(reporting, "MYSQL", ADMITTED, "SELECT count(*) FROM mysql.user").stderr()).contains("denied");
        JsonNode loader = contract("loader");
        as(loader, "MYSQL", ADMITTED, "CREATE TABLE t (id int); INSERT INTO t VALUES (5)").requireSuccess("owner creates tables");
        assertThat(as(loader, "MYSQL", ADMITTED, "SELECT * FROM app.before_users").stderr()).contains("denied");
        assertThat(as(loader, "MYSQL", ADMITTED, "CREATE USER x@'%'").stderr()).contains("CREATE USER");
        assertThat(h.client("umy", "SELECT id FROM staging.t").stdout().strip()).as("the master user uses every database").isEqualTo("5");
    }

    @Test
    @Order(3)
    void redisUsersAreLimitedToTheirKeysAndCommands() {
        h.ok("db", "user", "create", "worker", "--instance", "urd", "--access", "write", "--keys", "jobs:*");
        h.ok("db", "user", "create", "viewer", "--instance", "urd", "--access", "read");
        h.client("urd", "SET", "other", "x");
        JsonNode worker = contract("worker");
        assertThat(worker.path("REDIS_USERNAME").asText()).isEqualTo("worker");
        assertThat(worker.path("REDIS_URL").asText()).startsWith("redis://worker:");
        assertThat(as(worker, "REDIS", ADMITTED, "SET", "jobs:1", "x").stdout()).contains("OK");
        assertThat(as(worker, "REDIS", ADMITTED, "SET", "other", "y").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "KEYS", "*").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "FLUSHALL").stdout()).contains("NOPERM");
        // scripts run with its own rules; the server-wide function store and other channels are out of its reach
        assertThat(as(worker, "REDIS", ADMITTED, "EVAL", "return redis.call('GET', KEYS[1])", "1", "jobs:1").stdout().strip()).isEqualTo("x");
        assertThat(as(worker, "REDIS", ADMITTED, "EVAL", "return redis.call('GET', KEYS[1])", "1", "other").stdout()).contains("NOPERM");
        h.client("urd", "FUNCTION", "LOAD", "#!lua name=applib\nredis.register_function('get_other', function() return redis.call('GET', 'other') end)")
                .requireSuccess("the master user's library");
        assertThat(as(worker, "REDIS", ADMITTED, "FUNCTION", "LOAD", "REPLACE",
                "#!lua name=applib\nredis.register_function('get_other', function() return redis.call('SET', 'jobs:stolen', redis.call('GET', 'other')) end)")
                .stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "FUNCTION", "FLUSH").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "FUNCTION", "DUMP").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "SCRIPT", "FLUSH").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "PUBLISH", "payments", "forged").stdout()).contains("NOPERM");
        assertThat(as(worker, "REDIS", ADMITTED, "CLIENT", "TRACKING", "ON", "BCAST").stdout()).as("every changed key's name").contains("NOPERM");
        assertThat(h.client("urd", "FCALL", "get_other", "0").stdout().strip()).as("the master's library untouched").isEqualTo("x");
        JsonNode viewer = contract("viewer");
        assertThat(as(viewer, "REDIS", ADMITTED, "GET", "jobs:1").stdout().strip()).isEqualTo("x");
        assertThat(as(viewer, "REDIS", ADMITTED, "SET", "jobs:2", "x").stdout()).contains("NOPERM");
        assertThat(as(viewer, "REDIS", ADMITTED, "CONFIG", "GET", "*").stdout()).contains("NOPERM");
        assertThat(as(viewer, "REDIS", OTHER, "PING").stdout()).doesNotContain("PONG");
    }

    @Test
    @Order(4)
    void rotationChangesThePasswordAndDeletionRemovesTheUser() {
        JsonNode before = contract("reporting");
        h.ok("db", "user", "rotate-password", "reporting", "--instance", "upg");
        JsonNode after = contract("reporting");
        assertThat(after.path("PG_CREDENTIALS_SECRET").asText()).isNotEqualTo(before.path("PG_CREDENTIALS_SECRET").asText());
        assertThat(as(before, "PG", ADMITTED, "SELECT 1").stderr()).contains("password authentication failed");
        assertThat(as(after, "PG", ADMITTED, "SELECT 1").stdout().strip()).isEqualTo("1");

        EngineHarness.Run unconfirmed = h.cli("db", "user", "delete", "reporting", "--instance", "upg");
        assertThat(unconfirmed.exit()).isEqualTo(4);
        assertThat(as(after, "PG", ADMITTED, "SELECT 1").exit()).as("unconfirmed: still there").isZero();
        for (String instance : List.of("upg", "umy")) h.ok("db", "user", "delete", "reporting", "--instance", instance, "--confirm", "reporting");
        h.ok("db", "user", "delete", "worker", "--instance", "urd", "--confirm", "worker");
        assertThat(as(after, "PG", ADMITTED, "SELECT 1").exit()).isNotZero();
        assertThat(adminPsql("upg", "SELECT count(*) FROM pg_roles WHERE rolname = 'reporting'")).isEqualTo("0");
        assertThat(h.cli("secret", "get", "shop/prod/upg/users/reporting").exit()).isEqualTo(3);
        assertThat(h.cli("env", "shop", "prod", "--user", "reporting").exit()).isEqualTo(3);
        assertThat(h.ok("db", "user", "list", "--instance", "urd", "-o", "json").json().toString()).doesNotContain("worker").contains("viewer");
        // a user owning a database of its own, with a session open: the session ends, its tables go to the master user
        JsonNode etl = contract("etl");
        java.util.concurrent.ExecutorService bg = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var session = bg.submit(() -> as(etl, "PG", ADMITTED, "SELECT pg_sleep(120)"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> adminPsql("upg", "SELECT count(*) FROM pg_stat_activity WHERE usename = 'etl'").equals("1"));
            h.ok("db", "user", "delete", "etl", "--instance", "upg", "--confirm", "etl");
            Proc.Result ended = session.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ended.exit()).as("its open session was ended").isNotZero();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            bg.shutdownNow();
        }
        assertThat(adminPsql("upg", "SELECT count(*) FROM pg_roles WHERE rolname = 'etl'")).isEqualTo("0");
        assertThat(as(etl, "PG", ADMITTED, "SELECT 1").exit()).isNotZero();
        assertThat(adminPsql("upg", "warehouse", "SELECT tableowner FROM pg_tables WHERE tablename = 'facts'")).isEqualTo("app");

        String events = h.api().get("/v1/events?limit=1000").toString();
        assertThat(events).contains("db-user.created").contains("db-user.deleted").contains("db-user.password-rotated")
                .doesNotContain(after.path("PG_CREDENTIALS_SECRET").asText());
    }

    @Test
    @Order(5)
    void badRequestsAreRefusedAndChangeNothing() {
        int events = h.api().get("/v1/events?limit=1000").size();
        String[][] bad = {
                {"db", "user", "create", "Bad-Name", "--instance", "upg"},
                {"db", "user", "create", "app", "--instance", "upg"},
                {"db", "user", "create", "stratum_admin", "--instance", "upg"},
                {"db", "user", "create", "pg_monitor", "--instance", "upg"},
                {"db", "user", "create", "x", "--instance", "upg", "--access", "superuser"},
                {"db", "user", "create", "x", "--instance", "upg", "--database", "postgres"},
                {"db", "user", "create", "x", "--instance", "upg", "--database", "a;drop"},
                {"db", "user", "create", "x", "--instance", "upg", "--keys", "*"},
                {"db", "user", "create", "x", "--instance", "urd", "--database", "0"},
                {"db", "user", "create", "x", "--instance", "urd", "--keys", "a b +@all"},
        };
        for (String[] args : bad) {
            EngineHarness.Run r = h.cli(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
        }
        assertThat(h.cli("db", "user", "create", "x", "--instance", "nosuch").exit()).isEqualTo(3);
        // another stack's operator learns nothing of this stack's instances and users: 404, as for a name nobody has
        h.ok("stack", "create", "rival");
        String rival = h.ok("token", "create", "--name", "rival-op", "--role", "operator", "--stack", "rival", "-o", "json").json()
                .path("token").asText();
        for (String name : List.of("shop/prod/upg/master", "shop/prod/upg/users/writer", "shop/prod/nosuch/master")) {
            EngineHarness.Run probe = h.cliAs(rival, "secret", "delete", name, "--confirm", name);
            assertThat(probe.exit()).as(name + ": " + probe.err()).isEqualTo(3);
            assertThat(probe.err()).doesNotContain("managed");
        }
        events = h.api().get("/v1/events?limit=1000").size();
        assertThat(h.cli("db", "user", "create", "writer", "--instance", "upg").exit()).as("already exists").isEqualTo(4);
        assertThat(h.api().get("/v1/events?limit=1000").size()).isEqualTo(events);
        assertThat(h.ok("db", "user", "list", "--instance", "upg", "-o", "json").json().size()).isEqualTo(1);
    }
}
