package io.stratum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.engines.ToolRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Stratum PostgreSQL instance created through the API, loaded with {@code pgbench -i}, measured with {@code pgbench -S}. */
final class Pgbench {
    private final HttpsClient api;
    private final String name;
    private final int port;
    private final List<String> target;
    private final Map<String, String> env;
    private final ToolRunner tools = new ToolRunner(null);

    private final String user;
    private final String database;

    private Pgbench(HttpsClient api, String name, int port, String user, String database, Map<String, String> env) {
        this.api = api;
        this.port = port;
        this.name = name;
        this.user = user;
        this.database = database;
        this.target = target(port);
        this.env = env;
    }

    /** A PostgreSQL outside Stratum (set up by hand), initialised with scale 10 like an instance. */
    static Pgbench bare(int port, String user, String database, String password) {
        Pgbench b = new Pgbench(null, null, port, user, database, Map.of("PGPASSWORD", password));
        b.initialise();
        return b;
    }

    /** A PostgreSQL that already holds pgbench's tables (a read replica of an initialised instance): nothing is written. */
    static Pgbench existing(int port, String user, String database, String password) {
        return new Pgbench(null, null, port, user, database, Map.of("PGPASSWORD", password));
    }

    /** Runs pgbench's built-in simple-update script ({@code -N}) for {@code seconds} with 4 clients; returns its TPS. */
    double simpleUpdateTps(int seconds) {
        List<String> argv = new ArrayList<>(List.of("pgbench", "-N", "-c", "4", "-j", "2", "-T", String.valueOf(seconds)));
        argv.addAll(target(port));
        Map<String, String> plain = new HashMap<>(env);
        plain.put("PGSSLMODE", "disable");
        String out = tools.self(argv, plain, null, Duration.ofSeconds(seconds + 120L)).stdout();
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no tps in pgbench output: " + out);
        return Double.parseDouble(m.group(1));
    }

    private void initialise() {
        List<String> init = new ArrayList<>(List.of("pgbench", "-i", "-s", "10", "-q"));
        init.addAll(target);
        tools.self(init, Map.of("PGPASSWORD", env.get("PGPASSWORD"), "PGSSLMODE", "disable"), null, Duration.ofMinutes(5));
    }

    /** The TLS version and cipher a connection with {@code sslmode=require} negotiates. */
    String negotiated() {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-At", "-c",
                "SELECT version || ' ' || cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        argv.addAll(target);
        Map<String, String> tls = new HashMap<>(env);
        tls.put("PGSSLMODE", "require");
        return tools.self(argv, tls, null, Duration.ofSeconds(30)).stdout().strip();
    }

    /** Creates the instance from {@code createBody} (JSON with its name), waits for it and initialises scale 10. */
    static Pgbench create(HttpsClient api, String name, String createBody) throws Exception {
        String opId = BenchMain.JSON.readTree(api.post("/v1/instances", createBody)).path("id").asText();
        while (!BenchMain.JSON.readTree(api.get("/v1/operations/" + opId)).path("state").asText().matches("succeeded|failed")) {
            Thread.sleep(50);
        }
        JsonNode c = BenchMain.JSON.readTree(api.get("/v1/instances/" + name + "/credentials"));
        Pgbench b = new Pgbench(api, name, c.path("port").asInt(), "app", "app", Map.of("PGPASSWORD", c.path("password").asText()));
        b.initialise();
        return b;
    }

    private List<String> target(int viaPort) {
        return List.of("-h", "127.0.0.1", "-p", String.valueOf(viaPort), "-U", user, database);
    }

    int port() {
        return port;
    }

    /** Select-only TPS over {@code seconds} with 4 clients and the given sslmode. */
    double selectOnlyTps(int seconds, String sslmode) {
        return selectOnlyTps(seconds, sslmode, port);
    }

    /** The same, reaching the instance on {@code viaPort} (e.g. a tunnel's local end). */
    double selectOnlyTps(int seconds, String sslmode, int viaPort) {
        List<String> argv = new ArrayList<>(List.of("pgbench", "-S", "-c", "4", "-j", "2", "-T", String.valueOf(seconds)));
        argv.addAll(target(viaPort));
        Map<String, String> withMode = new HashMap<>(env);
        withMode.put("PGSSLMODE", sslmode);
        String out = tools.self(argv, withMode, null, Duration.ofSeconds(seconds + 120L)).stdout();
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no tps in pgbench output: " + out);
        return Double.parseDouble(m.group(1));
    }

    /** MB/s of psql reading {@code megabytes} of COPY output on {@code viaPort} (TLS off), written to /dev/null. */
    double bulkMegabytesPerSecond(int megabytes, int viaPort) {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-q", "-o", "/dev/null", "-c",
                "COPY (SELECT repeat('x', 1023) FROM generate_series(1, " + (megabytes * 1024) + ")) TO STDOUT"));
        argv.addAll(target(viaPort));
        Map<String, String> noTls = new HashMap<>(env);
        noTls.put("PGSSLMODE", "disable");
        long t0 = System.nanoTime();
        tools.self(argv, noTls, null, Duration.ofMinutes(5));
        return megabytes / ((System.nanoTime() - t0) / 1e9);
    }

    void delete() throws Exception {
        api.delete("/v1/instances/" + name + "?confirm=" + name + "&skipFinalSnapshot=true");
        while (BenchMain.JSON.readTree(api.get("/v1/instances")).size() > 0) Thread.sleep(100);
    }
}
