package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad create and modify requests: a clear error naming the field, exit 2 (4 for conflicts), and nothing created. */
class InstanceBadInputIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-bad-", "21100-21199", Duration.ofSeconds(15));
        assertThat(h.cli("db", "create", "taken", "--engine", "redis", "--class", "micro").exit()).isZero();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    void refused(int exit, String expectedText, String... args) {
        int instances = h.api().get("/v1/instances").size();
        var r = h.cli(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err()).contains(expectedText);
        assertThat(h.api().get("/v1/instances").size()).as("nothing created").isEqualTo(instances);
    }

    @Test
    void unknownEngineVersionOrClass() {
        refused(2, "engine: 'oracle' is not an engine: use one of postgres, mariadb, redis", "db", "create", "x1", "--engine", "oracle");
        refused(2, "version: '9' is not available for postgres: use one of 15", "db", "create", "x1", "--engine", "postgres", "--version", "9");
        refused(2, "class: 'huge' is not a class: use one of micro, small, medium, large", "db", "create", "x1", "--engine", "postgres",
                "--class", "huge");
        refused(2, "name:", "db", "create", "Bad_Name", "--engine", "postgres");
    }

    @Test
    void portInUseOrOutOfRange() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            refused(2, "port: port " + busy.getLocalPort() + " is in use by another process", "db", "create", "x2", "--engine",
                    "postgres", "--port", String.valueOf(busy.getLocalPort()));
        }
        int takenPort = h.instance("taken").path("endpoint").path("port").asInt();
        refused(2, "port: port " + takenPort + " belongs to another instance", "db", "create", "x2", "--engine", "redis", "--port",
                String.valueOf(takenPort));
        refused(2, "port: 80 is out of range", "db", "create", "x2", "--engine", "redis", "--port", "80");
    }

    @Test
    void storageOutOfBounds() {
        refused(2, "storage: 0 GiB is out of range", "db", "create", "x3", "--engine", "postgres", "--storage", "0");
        refused(2, "maxStorage: 5 GiB is below the allocated 10 GiB", "db", "create", "x3", "--engine", "postgres", "--storage", "10",
                "--max-storage", "5");
        refused(2, "storage can only grow", "db", "modify", "taken", "--storage", "1", "--max-storage", "1");
    }

    @Test
    void unknownParameterSuggestsTheClosestAndRangesAreChecked() {
        refused(2, "param.shared_buffer: unknown parameter; did you mean shared_buffers", "db", "create", "x4", "--engine",
                "postgres", "--param", "shared_buffer=128MB");
        refused(2, "param.max_connections: '99999' is out of range: a whole number from 10 to 5000", "db", "create", "x4",
                "--engine", "postgres", "--param", "max_connections=99999");
        refused(2, "param.maxmemory-policy: 'sometimes' is not allowed", "db", "modify", "taken", "--param",
                "maxmemory-policy=sometimes");
        refused(2, "param.work_mem: 'lots' is not a size", "db", "create", "x4", "--engine", "postgres", "--param", "work_mem=lots");
    }

    @Test
    void nameTakenIsAConflict() {
        refused(4, "instance 'taken' already exists", "db", "create", "taken", "--engine", "postgres");
    }

    @Test
    void illegalStatusTransitionsAnswerWithTheCurrentStatus() {
        assertThat(h.cli("db", "create", "paused", "--engine", "redis", "--class", "micro").exit()).isZero();
        assertThat(h.cli("db", "stop", "paused").exit()).isZero();
        var reboot = h.cli("db", "reboot", "paused");
        assertThat(reboot.exit()).isEqualTo(4);
        assertThat(reboot.err()).contains("is stopped");
        assertThat(h.cli("db", "stop", "paused").exit()).isEqualTo(4);
        assertThat(h.cli("db", "delete", "paused", "--confirm", "paused", "--skip-final-snapshot").exit()).isZero();
    }

    @Test
    void mysqlIsAnAliasThatRunsMariadb() {
        var r = h.cli("db", "create", "legacy", "--engine", "mysql", "--class", "micro", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().path("engine").asText()).isEqualTo("mariadb");
        assertThat(r.err()).contains("runs MariaDB");
        assertThat(h.cli("db", "delete", "legacy", "--confirm", "legacy", "--skip-final-snapshot").exit()).isZero();
    }
}
