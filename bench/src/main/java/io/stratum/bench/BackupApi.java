package io.stratum.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST calls the backup scenarios make (create, back up, restore, drop), each waiting for its operation; what
 * Stratum's operations reported (step times, bytes and rates) is kept for the result.
 */
final class BackupApi {
    private final HttpsClient api;
    final List<String> notes = new ArrayList<>();

    BackupApi(HttpsClient api) {
        this.api = api;
    }

    void create(String body) throws Exception {
        await(BenchMain.JSON.readTree(api.post("/v1/instances", body)).path("id").asText());
    }

    /** Takes a manual backup of {@code instance}; returns its id. */
    String backup(String instance) throws Exception {
        notes.add(await(BenchMain.JSON.readTree(api.post("/v1/instances/" + instance + "/backups", "{}")).path("id").asText()));
        return BenchMain.JSON.readTree(api.get("/v1/backups?instance=" + instance)).get(0).path("id").asText();
    }

    /** Restores backup {@code backupId} into a new instance {@code to}. */
    void restore(String backupId, String to) throws Exception {
        notes.add(await(BenchMain.JSON.readTree(api.post("/v1/backups/" + backupId + "/restore", "{\"to\":\"" + to + "\"}"))
                .path("id").asText()));
    }

    /** Deletes an instance without a final snapshot (frees its disk for the next round). */
    void drop(String name) throws Exception {
        await(BenchMain.JSON.readTree(api.delete("/v1/instances/" + name + "?confirm=" + name + "&skipFinalSnapshot=true")).path("id").asText());
    }

    JsonNode credentials(String instance) throws Exception {
        return BenchMain.JSON.readTree(api.get("/v1/instances/" + instance + "/credentials"));
    }

    /** Waits for an operation; returns how long each step took as seen by polling, and its last detail. */
    private String await(String opId) throws Exception {
        Map<String, Long> steps = new LinkedHashMap<>();
        String step = null;
        long since = System.nanoTime();
        while (true) {
            JsonNode op = BenchMain.JSON.readTree(api.get("/v1/operations/" + opId));
            String now = op.path("step").asText();
            if (!now.equals(step)) {
                if (step != null) steps.merge(step, (System.nanoTime() - since) / 1_000_000, Long::sum);
                step = now;
                since = System.nanoTime();
            }
            if (op.path("state").asText().equals("succeeded")) return steps + " " + op.path("detail").asText();
            if (op.path("state").asText().equals("failed")) throw new IllegalStateException("operation failed: " + op.path("error").asText());
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Seconds {@code work} took. */
    static double timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static List<Double> list(double[] values) {
        List<Double> l = new ArrayList<>();
        for (double v : values) l.add(v);
        return l;
    }

    static List<Double> rounded(double[] values) {
        return list(values).stream().map(Samples::round).toList();
    }
}
