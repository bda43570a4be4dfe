package io.stratum.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself (not a timing assertion): a tiny api run writes its JSON and the README table. */
class BenchHarnessTest {
    @TempDir
    Path bench;

    @Test
    void apiScenarioWritesResultsAndTable() throws Exception {
        Files.writeString(bench.resolve("README.md"), "# bench\n\n<!-- results:start -->\n<!-- results:end -->\n");
        BenchMain.runInto(new ApiScenario(20, 5, 20), bench);
        JsonNode r = BenchMain.JSON.readTree(bench.resolve("results/api.json").toFile());
        assertThat(r.path("scenario").asText()).isEqualTo("api");
        assertThat(r.path("stratum").path("n").asInt()).isEqualTo(20);
        assertThat(r.path("baseline").path("latency").path("p50Ms").asDouble()).isPositive();
        assertThat(r.path("roundsStratum")).hasSize(ApiScenario.ROUNDS);
        assertThat(r.path("roundsBaseline")).hasSize(ApiScenario.ROUNDS);
        JsonNode p50 = r.path("rows").get(0);
        assertThat(p50.path("ratio").asDouble()).isPositive();
        assertThat(p50.path("ratioMin").asDouble()).isPositive().isLessThanOrEqualTo(p50.path("ratioMax").asDouble());
        assertThat(p50.path("rounds").asInt()).isEqualTo(ApiScenario.ROUNDS);
        assertThat(Files.readString(bench.resolve("README.md"))).contains("| api | create+get p50 latency (ms, median of rounds) |")
                .contains("(5 rounds) |");
    }
}
