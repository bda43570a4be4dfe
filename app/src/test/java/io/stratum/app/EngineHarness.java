package io.stratum.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratum.cli.ApiClient;
import io.stratum.cli.Connection;
import io.stratum.cli.StratumCli;
import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process control plane on a fresh home, driven through the CLI and REST like a user would, and checked with the
 * engines' real clients (psql, mariadb, redis-cli). Closing it stops the server and kills every engine it started.
 */
final class EngineHarness implements AutoCloseable {
    final TestHome home;
    StratumServer server;
    private ServerOptions.Engines engines;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + out + err, e);
            }
        }
    }

    EngineHarness(String prefix, String portRange, Duration storageInterval) {
        this(prefix, ServerOptions.Engines.defaults().withPortRange(portRange).withStorageInterval(storageInterval));
    }

    EngineHarness(String prefix, ServerOptions.Engines engines) {
        this(prefix, engines, o -> o);
    }

    /** With other server options as well (e.g. the bastion's session limits). */
    EngineHarness(String prefix, ServerOptions.Engines engines, java.util.function.UnaryOperator<ServerOptions> customize) {
        this(prefix, engines, customize, Clock.systemUTC());
    }

    /** With a clock the test controls (schedules, retention). */
    EngineHarness(String prefix, ServerOptions.Engines engines, java.util.function.UnaryOperator<ServerOptions> customize, Clock clock) {
        this.home = TestHome.create(prefix);
        this.engines = engines;
        this.customize = customize;
        this.clock = clock;
        start();
    }

    private final Clock clock;

    private final java.util.function.UnaryOperator<ServerOptions> customize;

    void start() {
        forgetClient();
        server = StratumServer.start(customize.apply(ServerOptions.of(new StratumHome(home.root()), "127.0.0.1:0", null, null, null)
                .withEngines(engines)), clock);
    }

    /** Stops the control plane (engines keep running), runs {@code meanwhile}, starts it again. */
    void downWhile(Runnable meanwhile) {
        server.close();
        meanwhile.run();
        start();
    }

    void restart() {
        server.close();
        start();
    }

    /** Restarts the control plane with other engine options (e.g. a shorter firewall check). */
    void restart(ServerOptions.Engines newEngines) {
        server.close();
        engines = newEngines;
        start();
    }

    Path root() {
        return home.root();
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StratumCli.commandLine(Map.of("STRATUM_HOME", home.root().toString()), new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A CLI command reading {@code stdin} (a secret's value). */
    Run cliWithInput(String stdin, String... args) {
        java.io.InputStream realIn = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return cli(args);
        } finally {
            System.setIn(realIn);
        }
    }

    /** A CLI command with another API token (an operator's, a reader's). */
    Run cliAs(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StratumCli.commandLine(Map.of("STRATUM_HOME", home.root().toString(), "STRATUM_TOKEN", token), new PrintWriter(out),
                new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs a CLI command that must succeed; the failure message has its output. */
    Run ok(String... args) {
        Run r = cli(args);
        org.assertj.core.api.Assertions.assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + r.out()).isZero();
        return r;
    }

    private ApiClient api;

    /** One API client per server start (its port changes on restart), reusing its connections. */
    synchronized ApiClient api() {
        if (api == null) api = new ApiClient(Connection.resolve(home.root().toString(), Map.of()));
        return api;
    }

    private synchronized void forgetClient() {
        if (api != null) api.close();
        api = null;
    }

    JsonNode instance(String name) {
        return api().get("/v1/instances/" + name);
    }

    JsonNode credentials(String name) {
        return api().get("/v1/instances/" + name + "/credentials");
    }

    void awaitStatus(String name, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> instance(name).path("status").asText(), status::equals);
    }

    /** Runs {@code sql} with psql/mariadb (or a redis-cli command) as the master user over TCP; returns stdout. */
    Proc.Result client(String name, String... commandOrSql) {
        JsonNode c = credentials(name);
        String host = c.path("host").asText();
        String port = c.path("port").asText();
        String user = c.path("username").asText();
        String pw = c.path("password").asText();
        return switch (c.path("engine").asText()) {
            case "postgres" -> Proc.run(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", user,
                    "-d", c.path("database").asText(), "-c", commandOrSql[0]), Map.of("PGPASSWORD", pw), null, null, 60);
            case "mariadb" -> Proc.run(List.of("mariadb", "--no-defaults", "-N", "-B", "-h", host, "-P", port, "-u", user,
                    c.path("database").asText(), "-e", commandOrSql[0]), Map.of("MYSQL_PWD", pw), null, null, 60);
            default -> {
                List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", port, "--user", user, "--no-auth-warning"));
                argv.addAll(List.of(commandOrSql));
                yield Proc.run(argv, Map.of("REDISCLI_AUTH", pw), null, null, 60);
            }
        };
    }

    /**
     * A redis-cli command as Stratum's admin user over the instance's socket (CONFIG GET and the like, which tenants'
     * users may not run); the password from the admin secret, in the environment.
     */
    Proc.Result redisAdmin(String name, String... command) {
        String password = api().get("/v1/secret-values/" + name + "/admin").path("value").path("password").asText();
        List<String> argv = new ArrayList<>(List.of("redis-cli", "-s", home.root().resolve("instances/" + name + "/run/redis.sock").toString(),
                "--user", "stratum-admin", "--no-auth-warning"));
        argv.addAll(List.of(command));
        return Proc.run(argv, Map.of("REDISCLI_AUTH", password), null, null, 60);
    }

    /** Every master password of this home's instances (for leak checks). */
    List<String> masterPasswords() {
        List<String> pws = new ArrayList<>();
        for (JsonNode i : api().get("/v1/instances")) pws.add(credentials(i.path("name").asText()).path("password").asText());
        return pws;
    }

    @Override
    public void close() {
        try {
            forgetClient();
            server.close();
        } finally {
            home.close();
        }
    }
}
