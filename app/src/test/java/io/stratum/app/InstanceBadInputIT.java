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
    void stackQuotasAndFreeDiskBoundWhatAStackMayHave() {
        h.ok("stack", "create", "quota");
        h.ok("stage", "create", "quota/p");
        assertThat(h.cli("stack", "quota", "quota", "--instances", "1", "--storage", "6").exit()).isZero();
        h.ok("db", "create", "q1", "--engine", "redis", "--class", "micro", "--stack", "quota", "--stage", "p", "--storage", "5");
        refused(4, "has 1 of its 1 instances", "db", "create", "q2", "--engine", "redis", "--stack", "quota", "--stage", "p");
        assertThat(h.cli("db", "modify", "q1", "--storage", "10").err()).contains("has 5 of its 6 GiB allocated");
        // autoscaling counts at its ceiling: a small allocation with a large --max-storage cannot grow past the quota
        assertThat(h.cli("db", "modify", "q1", "--max-storage", "500").err()).contains("reserved for autoscaling");
        var usage = h.ok("stack", "quota", "quota", "-o", "json").json();
        assertThat(usage.path("instances").asInt()).isEqualTo(1);
        assertThat(usage.path("storageGiB").asInt()).isEqualTo(5);
        // an operator of the stack cannot raise its own quota
        String operator = h.ok("token", "create", "--name", "quota-op", "--role", "operator", "--stack", "quota", "-o", "json").json()
                .path("token").asText();
        EngineHarness.Run raise = h.cliAs(operator, "stack", "quota", "quota", "--instances", "100");
        assertThat(raise.exit()).isEqualTo(2);
        assertThat(raise.err()).contains("needs role admin");
        EngineHarness.Run drills = h.cliAs(operator, "db", "modify", "q1", "--drill", "after-each");
        assertThat(drills.exit()).as("a drill after every backup costs a scratch instance each time: admins only").isEqualTo(2);
        assertThat(drills.err()).contains("needs role admin");
        h.ok("stack", "quota", "quota", "--instances", "2");
        refused(4, "reserved for autoscaling", "db", "create", "q2", "--engine", "redis", "--class", "micro", "--stack", "quota", "--stage",
                "p", "--storage", "1", "--max-storage", "500");
        h.ok("db", "create", "q2", "--engine", "redis", "--class", "micro", "--stack", "quota", "--stage", "p", "--storage", "1");
        refused(2, "storage: 60000 GiB asked for, but only", "db", "create", "q3", "--engine", "redis", "--storage", "60000",
                "--max-storage", "60000");
        refused(2, "instances: -1 is out of range", "stack", "quota", "quota", "--instances", "-1");
    }

    @Test
    void parameterValuesThatOverflowOrAreNotTheEnginesNumbersAreRefused() {
        refused(2, "param.max_connections: '99999999999999999999' is not a whole number", "db", "create", "x4", "--engine", "postgres",
                "--param", "max_connections=99999999999999999999");
        refused(2, "param.work_mem: '1e3MB' is not a size", "db", "create", "x4", "--engine", "postgres", "--param", "work_mem=1e3MB");
        refused(2, "param.maxmemory", "db", "modify", "taken", "--param", "maxmemory=99999999999999999999mb");
    }

    @Test
    void aStagesAddressGivenAsTheStageNamesTheStage() {
        refused(2, "stage: 'shop/prod' is a stage's address: give it as --stack shop --stage prod", "db", "create", "x5", "--engine",
                "redis", "--stage", "shop/prod");
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
