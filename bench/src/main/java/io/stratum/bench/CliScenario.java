package io.stratum.bench;

import io.stratum.core.home.StratumHome;
import io.stratum.engines.ToolRunner;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code cli}: what a CLI call costs a user, through {@code bin/stratum} as written in the README. (a) {@code stack list}
 * against {@code curl} making the same HTTPS request (the floor), with the launcher's parts measured on their own: the
 * JVM and CLI start ({@code --version}), the call over HTTPS instead of the server's local socket, the call without the
 * class cache, and the plain {@code java -jar} of before; and where one call's time goes ({@code STRATUM_CLI_TIMING}:
 * JVM start to main, building the command line, resolving the connection, the client's set-up, the first request with
 * its connection and TLS handshake), over the socket and over HTTPS; (b) {@code db create} + {@code db connect} running
 * {@code select 1} against {@code initdb} + {@code pg_ctl start} + {@code psql} by hand. Rounds alternate between the
 * variants after a warm-up of each. It runs this checkout's {@code bin/stratum} as a user would (which builds the jar
 * when sources are newer, and keeps its class cache in {@code app/target/cds}).
 */
final class CliScenario implements Scenario {
    private final int listRounds;
    private final int provisionRounds;

    CliScenario(int listRounds, int provisionRounds) {
        this.listRounds = listRounds;
        this.provisionRounds = provisionRounds;
    }

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public Map<String, Object> run(Path work) throws Exception {
        Path root = Path.of(System.getProperty("stratum.bench.dir", "bench")).toAbsolutePath().getParent();
        String stratum = root.resolve("bin/stratum").toString();
        String jar = root.resolve("app/target/stratum.jar").toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path home = work.resolve("home");
        String engineUser = "root".equals(System.getProperty("user.name")) ? "stratum" : null;
        BareEngines bare = new BareEngines(new ToolRunner(engineUser), engineUser, work.resolve("bare"));
        Map<String, Object> result = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        try (StratumServer server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null)
                .withEngines(ServerOptions.Engines.defaults().withPortRange("22600-22699")), Clock.systemUTC())) {
            Map<String, String> env = Map.of("STRATUM_HOME", home.toString());
            String token = Files.readString(server.adminTokenFile()).trim();
            // a user elsewhere: the server's URL, a token and the CA, so the call goes over HTTPS (as a remote CLI's does)
            List<String> overHttps = List.of("env", "STRATUM_URL=" + server.localUrl(), "STRATUM_CA=" + server.caFile(), stratum);
            Map<String, List<String>> variants = new LinkedHashMap<>();
            variants.put("curl (floor)", List.of("curl", "-sf", "--cacert", server.caFile().toString(), "-H",
                    "Authorization: Bearer " + token, server.localUrl() + "/v1/stacks"));
            variants.put("bin/stratum stack list", List.of(stratum, "stack", "list"));
            variants.put("bin/stratum --version (launcher + JVM + CLI start)", List.of(stratum, "--version"));
            variants.put("bin/stratum stack list over HTTPS (STRATUM_URL)", concat(overHttps, "stack", "list"));
            variants.put("bin/stratum stack list without the class cache", List.of("env", "STRATUM_NO_CDS=1", stratum, "stack", "list"));
            variants.put("java -jar stratum.jar stack list (before)", List.of(java, "-jar", jar, "stack", "list"));
            Map<String, List<Double>> ms = new LinkedHashMap<>();
            variants.forEach((k, v) -> ms.put(k, new ArrayList<>()));
            for (List<String> argv : variants.values()) run(argv, env, null);   // warm-up, and the cache recorded
            awaitArchive(root.resolve("app/target/cds"));
            Map<String, List<String>> traced = new LinkedHashMap<>();
            traced.put("local socket", List.of("env", "STRATUM_CLI_TIMING=1", stratum, "stack", "list"));
            traced.put("HTTPS", concat(List.of("env", "STRATUM_CLI_TIMING=1"), concat(overHttps, "stack", "list").toArray(String[]::new)));
            Map<String, Map<String, List<Double>>> phases = new LinkedHashMap<>();
            traced.keySet().forEach(k -> phases.put(k, new LinkedHashMap<>()));
            for (int i = 0; i < listRounds; i++) {
                for (var v : variants.entrySet()) ms.get(v.getKey()).add(run(v.getValue(), env, null));
                for (var t : traced.entrySet()) {
                    timing(runForOutput(t.getValue(), env)).forEach((k, v) -> phases.get(t.getKey()).computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
            Map<String, Object> list = new LinkedHashMap<>();
            ms.forEach((k, v) -> list.put(k, spread(v)));
            result.put("stackList", list);
            Map<String, Object> breakdown = new LinkedHashMap<>();
            phases.forEach((transport, byPhase) -> {
                Map<String, Object> medians = new LinkedHashMap<>();
                byPhase.forEach((phase, v) -> medians.put(phase, Samples.round(Samples.median(v))));
                breakdown.put(transport, medians);
            });
            result.put("stackListBreakdownMedianMs", breakdown);
            rows.add(BenchMain.rounds("stack list p50 (ms) vs curl", ms.get("bin/stratum stack list"), ms.get("curl (floor)")));

            List<Double> cli = new ArrayList<>();
            List<Double> byHand = new ArrayList<>();
            try {
                provision(stratum, env, "warm");
                bare.run("postgres", -1);
                for (int i = 0; i < provisionRounds; i++) {
                    byHand.add(bare.run("postgres", i) / 1e6);
                    cli.add(provision(stratum, env, "p" + i));
                }
            } finally {
                for (int i = 0; i < provisionRounds; i++) {
                    runQuietly(List.of(stratum, "db", "delete", "p" + i, "--confirm", "p" + i, "--skip-final-snapshot"), env);
                }
                runQuietly(List.of(stratum, "db", "delete", "warm", "--confirm", "warm", "--skip-final-snapshot"), env);
            }
            result.put("provision", Map.of("bin/stratum db create + db connect (select 1)", spread(cli),
                    "initdb + pg_ctl start + psql by hand", spread(byHand)));
            rows.add(BenchMain.rounds("db create + connect select 1 p50 (ms)", cli, byHand));
        } finally {
            bare.close();
        }
        result.put("what", "(a) " + listRounds + " alternating rounds of each variant after a warm-up; (b) " + provisionRounds
                + " alternating rounds, PostgreSQL, class micro");
        result.put("baseline", "(a) curl with the same token and CA; (b) " + BareEngines.DESCRIPTION);
        result.put("ratioMeaning", "Stratum median / baseline median (lower is better; goal for (b) <= 1.0)");
        result.put("rows", rows);
        return result;
    }

    /** {@code db create NAME} then {@code db connect NAME} with 'select 1' on stdin, as a user would: milliseconds. */
    private static double provision(String stratum, Map<String, String> env, String name) throws Exception {
        long t0 = System.nanoTime();
        run(List.of(stratum, "db", "create", name, "--engine", "postgres", "--class", "micro"), env, null);
        run(List.of(stratum, "db", "connect", name), env, "select 1\n");
        return (System.nanoTime() - t0) / 1e6;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The figures of the CLI's {@code timing:} line (see CliTiming): phase name to milliseconds. */
    static Map<String, Double> timing(String output) {
        Map<String, Double> phases = new LinkedHashMap<>();
        String line = output.lines().filter(l -> l.startsWith("timing:")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no timing line in: " + output));
        for (String field : line.substring("timing:".length()).replace("(ms)", "").trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq > 0) phases.put(field.substring(0, eq), Double.parseDouble(field.substring(eq + 1)));
        }
        return phases;
    }

    /** Runs one command to its end (at most 5 minutes); milliseconds. A failure ends the scenario with its output. */
    private static double run(List<String> argv, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        return exec(argv, env, stdin).ms();
    }

    /** Like {@link #run}, returning what the command printed (stdout and stderr). */
    private static String runForOutput(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        return exec(argv, env, null).output();
    }

    private record Ran(double ms, String output) {}

    private static Ran exec(List<String> argv, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        Path log = Files.createTempFile("stratum-bench-cli-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(argv + " did not finish: " + Files.readString(log));
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (p.exitValue() != 0) throw new IllegalStateException(argv + " exited " + p.exitValue() + ": " + Files.readString(log));
            return new Ran(ms, Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void runQuietly(List<String> argv, Map<String, String> env) {
        try {
            run(argv, env, null);
        } catch (IOException | InterruptedException | IllegalStateException ignored) {
            // cleaning up after a failed round: an instance that was never created cannot be deleted
        }
    }

    /** Waits (at most 2 minutes) until the launcher has recorded the CLI's class cache (an AOT cache or a CDS archive). */
    private static void awaitArchive(Path cds) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (var s = Files.list(cds)) {
                List<String> names = s.map(f -> f.getFileName().toString()).toList();
                boolean recorded = names.stream().anyMatch(n -> n.endsWith(".aot") || n.endsWith(".jsa"));
                if (recorded && names.stream().noneMatch(n -> n.endsWith(".lock"))) return;
            } catch (IOException notYet) {
                // not created yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no class cache was recorded in " + cds);
    }

    /** Median, p90, min and max of the rounds, and every round. */
    static Map<String, Object> spread(List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("medianMs", Samples.round(Samples.median(ms)));
        m.put("p90Ms", Samples.round(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.9 * sorted.size()) - 1))));
        m.put("minMs", Samples.round(sorted.get(0)));
        m.put("maxMs", Samples.round(sorted.get(sorted.size() - 1)));
        m.put("roundsMs", ms.stream().map(Samples::round).toList());
        return m;
    }
}
