package io.stratum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs named scenarios ({@code bin/bench api}), writes {@code bench/results/<scenario>.json} and regenerates the
 * results table in {@code bench/README.md}.
 */
public final class BenchMain {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String TABLE_START = "<!-- results:start -->";
    private static final String TABLE_END = "<!-- results:end -->";

    private BenchMain() {}

    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("api", new ApiScenario(1000, 300, 1000));
        all.put("provision", new ProvisionScenario(10));
        all.put("tls", new TlsScenario(10, 3));
        all.put("firewall", new FirewallScenario(10));
        all.put("tunnel", new TunnelScenario(200, 5));
        all.put("backup", new BackupScenario(1000));
        all.put("backup-mariadb", new MariadbBackupScenario(400));
        all.put("cli", new CliScenario(20, 10));
        all.put("replication", new ReplicationScenario(10, 3));
        return all;
    }

    public static void main(String[] args) throws Exception {
        Path benchDir = Path.of(System.getProperty("stratum.bench.dir", "bench"));
        List<String> names = args.length == 0 ? List.copyOf(scenarios().keySet()) : List.of(args);
        for (String name : names) {
            Scenario s = scenarios().get(name);
            if (s == null) {
                System.err.println("unknown scenario '" + name + "'; known: " + scenarios().keySet());
                System.exit(2);
            }
            System.out.println("running scenario " + name + " ...");
            Map<String, Object> result = runInto(s, benchDir);
            System.out.println(JSON.writeValueAsString(result));
        }
        System.exit(0);
    }

    static Map<String, Object> runInto(Scenario s, Path benchDir) throws Exception {
        Path work = Files.createTempDirectory("stratum-bench-" + s.name());
        // engines run as the 'stratum' user when the bench runs as root: it must traverse the work directory
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", s.name());
        result.put("date", Instant.now().toString());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("java", System.getProperty("java.version"));
        try {
            result.putAll(s.run(work));
        } finally {
            deleteTree(work);
        }
        Path results = benchDir.resolve("results");
        Files.createDirectories(results);
        Files.writeString(results.resolve(s.name() + ".json"), JSON.writeValueAsString(result) + "\n");
        writeTable(benchDir);
        return result;
    }

    /** Rewrites the table between the markers in bench/README.md from every results/*.json. */
    static void writeTable(Path benchDir) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("| scenario | metric | Stratum | baseline | ratio | ratio per round (min–max) | measured |");
        rows.add("|---|---|---|---|---|---|---|");
        try (Stream<Path> files = Files.list(benchDir.resolve("results"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                for (JsonNode row : r.path("rows")) {
                    rows.add("| " + r.path("scenario").asText() + " | " + row.path("metric").asText() + " | "
                            + row.path("stratum").asText() + " | " + row.path("baseline").asText() + " | "
                            + row.path("ratio").asText() + " | " + (row.has("ratioMin") ? row.path("ratioMin").asText() + "–"
                            + row.path("ratioMax").asText() + " (" + row.path("rounds").asText() + " rounds)" : "single figure") + " | " + r.path("date").asText().substring(0, 10) + " |");
                }
            }
        }
        Path readme = benchDir.resolve("README.md");
        String text = Files.exists(readme) ? Files.readString(readme) : TABLE_START + "\n" + TABLE_END + "\n";
        int a = text.indexOf(TABLE_START);
        int b = text.indexOf(TABLE_END);
        if (a < 0 || b < a) {
            text = text + "\n" + TABLE_START + "\n" + TABLE_END + "\n";
            a = text.indexOf(TABLE_START);
            b = text.indexOf(TABLE_END);
        }
        String updated = text.substring(0, a + TABLE_START.length()) + "\n" + String.join("\n", rows) + "\n" + text.substring(b);
        Files.writeString(readme, updated);
    }

    /** One line of the results table: Stratum's figure, the baseline's, and their ratio. */
    static Map<String, Object> row(String metric, double stratum, double baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("stratum", Samples.round(stratum));
        m.put("baseline", Samples.round(baseline));
        m.put("ratio", Samples.round(stratum / baseline));
        return m;
    }

    /**
     * A row from alternating rounds: the medians of each side, their ratio, and the smallest and largest ratio of one
     * round's pair ({@code stratum.get(i) / baseline.get(i)}), so the table shows how far single rounds spread.
     */
    static Map<String, Object> rounds(String metric, List<Double> stratum, List<Double> baseline) {
        if (stratum.size() != baseline.size() || stratum.isEmpty()) throw new IllegalArgumentException(metric + ": rounds do not pair up");
        Map<String, Object> m = row(metric, Samples.median(stratum), Samples.median(baseline));
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < stratum.size(); i++) ratios.add(stratum.get(i) / baseline.get(i));
        m.put("ratioMin", Samples.round(ratios.stream().min(Double::compare).orElseThrow()));
        m.put("ratioMax", Samples.round(ratios.stream().max(Double::compare).orElseThrow()));
        m.put("rounds", ratios.size());
        return m;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
