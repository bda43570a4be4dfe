package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An instance filled past its allocation with no room to grow goes storage-full, refuses writes, and recovers. */
class StorageFullIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-full-", "21400-21499", Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void fullInstanceRefusesWritesUntilStorageIsRaised() {
        assertThat(h.cli("db", "create", "full", "--engine", "postgres", "--class", "micro", "--storage", "1").exit()).isZero();
        assertThat(h.client("full", "CREATE TABLE notes (v text)").exit()).isZero();
        // 1.1 million rows of 1,000 bytes: more than the 1 GiB allocation (short values are stored uncompressed)
        var fill = h.client("full", "CREATE TABLE filler AS SELECT repeat('x', 1000) AS v FROM generate_series(1, 1100000)");
        assertThat(fill.exit()).as(fill.stderr()).isZero();
        h.awaitStatus("full", "storage-full", Duration.ofSeconds(60));
        assertThat(h.instance("full").path("storage").path("usedBytes").asLong()).isGreaterThanOrEqualTo(1L << 30);
        assertThat(h.instance("full").path("lastError").asText()).contains("--storage");
        var refused = h.client("full", "INSERT INTO notes VALUES ('after full')");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("read-only transaction");
        assertThat(h.api().get("/v1/events?limit=50").toString()).contains("instance.storage-full");

        var raised = h.cli("db", "modify", "full", "--storage", "3", "--max-storage", "3");
        assertThat(raised.exit()).as(raised.err()).isZero();
        h.awaitStatus("full", "available", Duration.ofSeconds(30));
        assertThat(h.client("full", "INSERT INTO notes VALUES ('raised')").exit()).isZero();
        assertThat(h.client("full", "SELECT count(*) FROM notes").stdout().strip()).isEqualTo("1");
    }

    @Test
    void storageGrowsByItselfWithinTheMaximum() {
        assertThat(h.cli("db", "create", "grows", "--engine", "postgres", "--class", "micro", "--storage", "1", "--max-storage", "4")
                .exit()).isZero();
        var fill = h.client("grows", "CREATE TABLE filler AS SELECT repeat('x', 1000) AS v FROM generate_series(1, 1000000)");
        assertThat(fill.exit()).as(fill.stderr()).isZero();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> h.instance("grows").path("storage").path("allocatedGiB").asInt() > 1);
        assertThat(h.instance("grows").path("status").asText()).isEqualTo("available");
        assertThat(h.api().get("/v1/events?limit=50").toString()).contains("storage.autoscaled");
        assertThat(h.cli("db", "delete", "grows", "--confirm", "grows", "--skip-final-snapshot").exit()).isZero();
    }
}
