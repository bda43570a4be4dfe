package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import io.stratum.testkit.SourceRelay;
import java.nio.file.Files;
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
 * PostgreSQL read replicas ({@code db replica create}, {@code db promote}) checked with psql: a replica has its source's
 * data and follows its writes, refuses writes itself, streams through the kernel table although the source's security
 * group admits only 127.0.0.2 (its engine's OS user is admitted, no other local user from 127.0.0.1), reports its lag, and every
 * refusal changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaIT {
    static final String ADMITTED = "127.0.0.2";
    static final String TABLE = "stratum_replica_it";
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("replica-it", ServerOptions.Engines.defaults().withPortRange("24000-24099")
                .withFirewall(new ServerOptions.Firewall("nft", TABLE, Duration.ofHours(1))));
        h.ok("stack", "create", "shop");
        h.ok("stage", "create", "shop/prod");
        h.ok("stack", "create", "other");
        h.ok("sg", "create", "web");
        h.ok("sg", "authorize", "web", "--cidr", ADMITTED + "/32");
        h.ok("db", "create", "rpg", "--engine", "postgres", "--stack", "shop", "--stage", "prod", "--security-group", "web");
        sql("rpg", "CREATE TABLE orders (id int PRIMARY KEY, item text); "
                + "INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 5000) g").requireSuccess("load the source");
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            Proc.run("nft", "delete", "table", "inet", TABLE);
        }
    }

    /** SQL as the master user from the admitted address (the source's group admits nothing else). */
    static Proc.Result sql(String instance, String statement) {
        JsonNode c = h.credentials(instance);
        try (SourceRelay relay = SourceRelay.start(ADMITTED, c.path("host").asText(), c.path("port").asInt())) {
            return Proc.run(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String.valueOf(relay.port()),
                    "-U", c.path("username").asText(), "-d", c.path("database").asText(), "-c", statement),
                    Map.of("PGPASSWORD", c.path("password").asText(), "PGCONNECT_TIMEOUT", "5"), null, null, 30);
        }
    }

    static String rowsAndChecksum(String instance) {
        return sql(instance, "SELECT count(*) || ' ' || md5(string_agg(id || ':' || item, ',' ORDER BY id)) FROM orders")
                .requireSuccess("checksum of " + instance).stdout().strip();
    }

    static String events() {
        return h.api().get("/v1/events?limit=200").toString();
    }

    @Test
    @Order(1)
    void aReplicaHasItsSourcesDataFollowsItsWritesAndRefusesWritesItself() throws Exception {
        JsonNode replica = h.ok("db", "replica", "create", "rpg-ro", "--source", "rpg", "-o", "json").json();
        assertThat(replica.path("status").asText()).isEqualTo("available");
        assertThat(replica.path("role").asText()).isEqualTo("replica");
        assertThat(replica.path("source").asText()).isEqualTo("rpg");
        assertThat(replica.path("stack").asText()).isEqualTo("shop");
        assertThat(replica.path("securityGroups").toString()).isEqualTo("[\"web\"]");
        assertThat(h.instance("rpg").path("replicas").toString()).isEqualTo("[\"rpg-ro\"]");
        assertThat(h.instance("rpg").path("role").asText()).isEqualTo("primary");
        String list = h.ok("db", "list").out();
        assertThat(list).contains("replica of rpg");

        assertThat(rowsAndChecksum("rpg-ro")).isEqualTo(rowsAndChecksum("rpg")).startsWith("5000 ");
        assertThat(sql("rpg-ro", "SELECT pg_is_in_recovery()").stdout().strip()).isEqualTo("t");

        sql("rpg", "INSERT INTO orders SELECT g, 'after ' || g FROM generate_series(5001, 5100) g").requireSuccess("write the source");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> rowsAndChecksum("rpg-ro").equals(rowsAndChecksum("rpg")));
        assertThat(rowsAndChecksum("rpg-ro")).startsWith("5100 ");

        Proc.Result write = sql("rpg-ro", "INSERT INTO orders VALUES (9999999, 'on the replica')");
        assertThat(write.exit()).isNotZero();
        assertThat(write.stderr()).contains("cannot execute INSERT in a read-only transaction");

        // the contract: the replica is the stage's reader, not a second database
        JsonNode env = h.ok("env", "shop", "prod", "-o", "json").json();
        assertThat(env.path("PG_PORT").asInt()).isEqualTo(h.instance("rpg").path("endpoint").path("port").asInt());
        assertThat(env.path("PG_READER_PORT").asInt()).isEqualTo(replica.path("endpoint").path("port").asInt());
        assertThat(env.path("PG_READER_HOST").asText()).isEqualTo(env.path("PG_HOST").asText());
        assertThat(env.toString()).doesNotContain("RPG_RO_");

        // a managed user of the source reads on the replica too, with the contract's reader variables
        h.ok("db", "user", "create", "reporting", "--instance", "rpg", "--access", "read");
        JsonNode asReporting = h.ok("env", "shop", "prod", "--user", "reporting", "--reveal", "-o", "json").json();
        assertThat(asReporting.path("PG_READER_PORT").asInt()).isEqualTo(replica.path("endpoint").path("port").asInt());
        try (SourceRelay relay = SourceRelay.start(ADMITTED, "127.0.0.1", asReporting.path("PG_READER_PORT").asInt())) {
            Proc.Result read = Proc.run(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                    String.valueOf(relay.port()), "-U", "reporting", "-d", "app", "-c", "SELECT count(*), pg_is_in_recovery() FROM orders"),
                    Map.of("PGPASSWORD", asReporting.path("PG_CREDENTIALS_SECRET").asText(), "PGCONNECT_TIMEOUT", "5"), null, null, 30);
            assertThat(read.stdout().strip()).as(read.stderr()).isEqualTo("5100|t");
        }
        h.ok("db", "user", "delete", "reporting", "--instance", "rpg", "--confirm", "reporting");
        assertThat(Files.readString(h.root().resolve("instances/rpg-ro/conf/pg_hba.conf"))).as("its login gone from the replica too")
                .doesNotContain("reporting");
    }

    /**
     * The source's group admits only 127.0.0.2, yet the replica streams from 127.0.0.1: the kernel table admits its
     * engine's OS user by a mark set on its own sockets. No other OS user gets through from there, and the replication
     * login is no tenant's to use or change.
     */
    @Test
    @Order(2)
    void onlyTheReplicasOwnOsUserPassesTheSourcesFirewallAndTheReplicationLoginIsStratums() {
        JsonNode source = h.credentials("rpg");
        String port = source.path("port").asText();
        String replicaUser = h.instance("rpg-ro").path("osUser").asText();
        String ruleset = Proc.run("nft", "list", "table", "inet", TABLE).requireSuccess("list the table").stdout();
        assertThat(ruleset).contains("tcp dport " + port + " meta skuid").contains("meta mark set");
        assertThat(ruleset.lines().filter(l -> l.contains("meta skuid")).count()).isEqualTo(1);

        Map<String, String> env = Map.of("PGPASSWORD", source.path("password").asText(), "PGCONNECT_TIMEOUT", "3");
        List<String> psql = List.of("psql", "-X", "-At", "-h", "127.0.0.1", "-p", port, "-U", source.path("username").asText(), "-d",
                "app", "-c", "SELECT 1");
        Proc.Result root = Proc.run(psql, env, null, null, 20);
        assertThat(root.exit()).as("root from 127.0.0.1 is not in the group").isNotZero();
        List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        asNobody.addAll(psql);
        assertThat(Proc.run(asNobody, env, null, null, 20).exit()).as("another OS user gets no mark").isNotZero();
        assertThat(replicaUser).isNotBlank();

        // the master user cannot take over, use or imitate the replication login
        Proc.Result alter = sql("rpg", "ALTER ROLE stratum_replicator PASSWORD 'mine'");
        assertThat(alter.exit()).isNotZero();
        assertThat(alter.stderr()).containsAnyOf("permission denied", "must be superuser");
        Proc.Result slot = sql("rpg", "SELECT pg_create_physical_replication_slot('mine')");
        assertThat(slot.exit()).isNotZero();
        assertThat(slot.stderr()).containsAnyOf("permission denied", "must be superuser or replication role");
        try (SourceRelay relay = SourceRelay.start(ADMITTED, "127.0.0.1", Integer.parseInt(port))) {
            Proc.Result replication = Proc.run(List.of("psql", "-X", "-At", "-d", "host=127.0.0.1 port=" + relay.port()
                    + " user=stratum_replicator dbname=replication replication=true", "-c", "IDENTIFY_SYSTEM"), env, null, null, 20);
            assertThat(replication.exit()).isNotZero();
            assertThat(replication.stderr()).containsAnyOf("password authentication failed", "no pg_hba.conf entry");
        }
        // a tenant's operator does not read the replication secret
        assertThat(h.ok("secret", "list", "-o", "json").out()).contains("shop/prod/rpg/replication");
        JsonNode secret = h.api().get("/v1/secrets/shop/prod/rpg/replication");
        assertThat(secret.path("tags").path("stack").isMissingNode()).as("not stack-scoped: operators never read it").isTrue();
    }

    /** A stopped replica shows growing lag, then an event; resumed, it catches up. */
    @Test
    @Order(3)
    void aPausedReplicaShowsGrowingLagThenAnEventAndCatchesUpWhenResumed() {
        long pid = Long.parseLong(Proc.run("head", "-1", h.root().resolve("instances/rpg-ro/data/postmaster.pid").toString()).stdout().strip());
        List<String> pids = new ArrayList<>(List.of(String.valueOf(pid)));
        pids.addAll(Proc.run("pgrep", "-P", String.valueOf(pid)).stdout().lines().toList());
        List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
        stop.addAll(pids);
        List<String> cont = new ArrayList<>(List.of("kill", "-CONT"));
        cont.addAll(pids);
        Proc.run(stop, Map.of(), null, null, 10).requireSuccess("SIGSTOP the replica");
        try {
            int[] next = {100000};
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
                sql("rpg", "INSERT INTO orders SELECT g, 'lag' FROM generate_series(" + next[0] + ", " + (next[0] + 99) + ") g")
                        .requireSuccess("write during the pause");
                next[0] += 100;
                JsonNode r = h.instance("rpg-ro").path("replication");
                return r.path("lagBytes").asLong() > 0 && r.path("lagSeconds").asDouble() > 11 && r.path("lagging").asBoolean();
            });
            JsonNode first = h.instance("rpg-ro").path("replication");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.instance("rpg-ro").path("replication").path("lagSeconds").asDouble()
                    > first.path("lagSeconds").asDouble());
            assertThat(events()).contains("replica.lagging");
            assertThat(h.ok("db", "show", "rpg-ro").out()).contains("behind");
            // a backup from a replica that is behind would be an old copy of its source: it fails, the source stays available
            EngineHarness.Run stale = h.cli("backup", "create", "rpg", "--from-replica", "-o", "json");
            assertThat(stale.exit()).as(stale.out() + stale.err()).isEqualTo(1);
            assertThat(stale.err() + stale.out()).contains("is not current");
            h.awaitStatus("rpg", "available", Duration.ofSeconds(10));
        } finally {
            Proc.run(cont, Map.of(), null, null, 10);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode r = h.instance("rpg-ro").path("replication");
            return r.path("streaming").asBoolean() && r.path("lagBytes").asLong() == 0 && !r.path("lagging").asBoolean();
        });
        assertThat(events()).contains("replica.caught-up");
        assertThat(rowsAndChecksum("rpg-ro")).isEqualTo(rowsAndChecksum("rpg"));
    }

    /** A backup dumped from the replica: the source spared, the backup says which replica, and its drill passes. */
    @Test
    @Order(4)
    void aBackupDumpedFromTheReplicaSaysSoAndPassesItsDrill() {
        long replicaRowsBefore = rowsRead("rpg-ro");
        long sourceRowsBefore = rowsRead("rpg");
        JsonNode backup = h.ok("backup", "create", "rpg", "--from-replica", "-o", "json").json();
        // the dump read the replica's tables (5100 rows and more), not the source's
        await().atMost(Duration.ofSeconds(10)).until(() -> rowsRead("rpg-ro") - replicaRowsBefore >= 5100);
        assertThat(rowsRead("rpg") - sourceRowsBefore).as("the source was spared the dump").isLessThan(5100);
        assertThat(backup.path("status").asText()).isEqualTo("available");
        assertThat(backup.path("takenFrom").asText()).isEqualTo("rpg-ro");
        assertThat(backup.path("instance").asText()).isEqualTo("rpg");
        String id = backup.path("id").asText();
        JsonNode verified = h.ok("backup", "verify", id, "-o", "json").json();
        assertThat(verified.path("drill").path("status").asText()).as(verified.toString()).isEqualTo("passed");
        assertThat(events()).contains("dumped from read replica rpg-ro");
        h.ok("backup", "delete", id, "--confirm", id);

        h.ok("db", "create", "rnorep", "--engine", "postgres", "--stack", "shop", "--stage", "prod");
        EngineHarness.Run none = h.cli("backup", "create", "rnorep", "--from-replica");
        assertThat(none.exit()).isEqualTo(4);
        assertThat(none.err()).contains("no available read replica").contains("without --from-replica");
        assertThat(h.ok("backup", "list", "--instance", "rnorep", "-o", "json").json().size()).as("nothing recorded").isZero();
        h.ok("db", "delete", "rnorep", "--confirm", "rnorep", "--skip-final-snapshot");
    }

    @Test
    @Order(5)
    void badRequestsAreRefusedWithTheFieldAndChangeNothing() {
        h.ok("db", "create", "rstopped", "--engine", "postgres", "--stack", "shop", "--stage", "prod");
        h.ok("db", "stop", "rstopped");
        String before = names();

        EngineHarness.Run ofReplica = h.cli("db", "replica", "create", "rx", "--source", "rpg-ro");
        assertThat(ofReplica.exit()).isEqualTo(2);
        assertThat(ofReplica.err()).contains("source").contains("is itself a read replica").contains("create the replica from 'rpg'");
        EngineHarness.Run missing = h.cli("db", "replica", "create", "rx", "--source", "nope");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("source").contains("'nope' does not exist");
        EngineHarness.Run stopped = h.cli("db", "replica", "create", "rx", "--source", "rstopped");
        assertThat(stopped.exit()).isEqualTo(4);
        assertThat(stopped.err()).contains("source 'rstopped' is stopped");
        EngineHarness.Run crossStack = h.cli("db", "replica", "create", "rx", "--source", "rpg", "--stack", "other");
        assertThat(crossStack.exit()).isEqualTo(2);
        assertThat(crossStack.err()).contains("stack").contains("its source's stack");
        EngineHarness.Run smaller = h.cli("db", "replica", "create", "rx", "--source", "rpg", "--class", "micro");
        assertThat(smaller.exit()).isEqualTo(2);
        assertThat(smaller.err()).contains("class").contains("max_connections");
        EngineHarness.Run badName = h.cli("db", "replica", "create", "Bad_Name", "--source", "rpg");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("name");

        EngineHarness.Run deleteSource = h.cli("db", "delete", "rpg", "--confirm", "rpg", "--skip-final-snapshot");
        assertThat(deleteSource.exit()).isEqualTo(4);
        assertThat(deleteSource.err()).contains("has read replicas (rpg-ro)");
        EngineHarness.Run noConfirm = h.cli("db", "promote", "rpg-ro");
        assertThat(noConfirm.exit()).isEqualTo(4);
        assertThat(noConfirm.err()).contains("--confirm rpg-ro");
        EngineHarness.Run promotePrimary = h.cli("db", "promote", "rpg", "--confirm", "rpg");
        assertThat(promotePrimary.exit()).isEqualTo(4);
        assertThat(promotePrimary.err()).contains("not a read replica");
        for (String[] onReplica : new String[][] {{"db", "rotate-password", "rpg-ro"}, {"db", "user", "create", "rep", "--instance", "rpg-ro"},
                {"backup", "create", "rpg-ro"}}) {
            EngineHarness.Run r = h.cli(onReplica);
            assertThat(r.exit()).as(String.join(" ", onReplica)).isEqualTo(4);
            assertThat(r.err()).contains("is a read replica of 'rpg'");
        }
        for (String[] raise : new String[][] {{"--apply-immediately"}, {}}) {
            List<String> argv = new ArrayList<>(List.of("db", "modify", "rpg", "--param", "max_connections=300"));
            argv.addAll(List.of(raise));
            EngineHarness.Run raiseSourceAboveReplica = h.cli(argv.toArray(String[]::new));
            assertThat(raiseSourceAboveReplica.exit()).as("now or at the next reboot").isEqualTo(2);
            assertThat(raiseSourceAboveReplica.err()).contains("read replica 'rpg-ro' could not follow");
        }
        assertThat(h.instance("rpg").path("pendingModifications").toString()).isEqualTo("{}");

        // a secret at the replication login's name, made by someone else, would choose its password: refused
        h.ok("db", "create", "rsec", "--engine", "postgres", "--stack", "shop", "--stage", "prod");
        EngineHarness.Run planted = h.cliWithInput("{\"username\":\"stratum_replicator\",\"password\":\"known\"}\n", "secret", "create",
                "shop/prod/rsec/replication", "--tag", "stack=shop", "--tag", "stage=prod");
        assertThat(planted.exit()).as(planted.err()).isZero();
        EngineHarness.Run takenSecret = h.cli("db", "replica", "create", "rx", "--source", "rsec");
        assertThat(takenSecret.exit()).isEqualTo(4);
        assertThat(takenSecret.err()).contains("shop/prod/rsec/replication").contains("is not Stratum's");
        h.ok("db", "delete", "rsec", "--confirm", "rsec", "--skip-final-snapshot");
        assertThat(h.ok("secret", "list", "-o", "json").out()).as("the operator's secret is theirs to delete")
                .contains("shop/prod/rsec/replication");
        h.ok("secret", "delete", "shop/prod/rsec/replication", "--confirm", "shop/prod/rsec/replication");

        assertThat(names()).isEqualTo(before);
        assertThat(h.instance("rpg").path("status").asText()).isEqualTo("available");
        assertThat(h.instance("rpg-ro").path("source").asText()).isEqualTo("rpg");
        h.ok("db", "delete", "rstopped", "--confirm", "rstopped", "--skip-final-snapshot");
    }

    /** A replica whose slot is gone from its source cannot catch up: it fails with the reason, and an event says so. */
    @Test
    @Order(6)
    void aReplicaWhoseSlotIsGoneFailsWithTheReason() {
        h.ok("db", "replica", "create", "rpg-s", "--source", "rpg");
        JsonNode source = h.instance("rpg");
        // Stratum's admin on the source's own socket, as the source's OS user (the only one mapped to that role)
        String osUser = source.path("osUser").asText();
        Proc.run(List.of("setpriv", "--reuid=" + osUser, "--regid=" + osUser, "--init-groups", "--", "psql", "-X", "-At", "-h", h.root().resolve("instances/rpg/run").toString(), "-p",
                source.path("endpoint").path("port").asText(), "-U", "stratum_admin", "-d", "postgres", "-c",
                "DO $$ BEGIN LOOP PERFORM pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'stratum_rpg_s' "
                        + "AND active; BEGIN PERFORM pg_drop_replication_slot('stratum_rpg_s'); RETURN; EXCEPTION WHEN object_in_use THEN "
                        + "PERFORM pg_sleep(0.01); END; END LOOP; END $$"), Map.of(), null, null, 30)
                .requireSuccess("drop the replica's slot behind Stratum's back");
        h.awaitStatus("rpg-s", "failed", Duration.ofSeconds(20));
        assertThat(h.instance("rpg-s").path("lastError").asText()).contains("no replication slot").contains("create a new one");
        assertThat(events()).contains("replica.failed");
        h.ok("db", "delete", "rpg-s", "--confirm", "rpg-s");
    }

    /** RDS PromoteReadReplica: writable, its own secret, its slot gone from the source, the source untouched. */
    @Test
    @Order(7)
    void aPromotedReplicaTakesWritesWithItsOwnSecretAndTheSourceIsUntouched() {
        h.ok("db", "replica", "create", "rpg-p", "--source", "rpg");
        assertThat(slots()).containsExactlyInAnyOrder("stratum_rpg_ro", "stratum_rpg_p");
        String sourceBefore = rowsAndChecksum("rpg");

        JsonNode promoted = h.ok("db", "promote", "rpg-p", "--confirm", "rpg-p", "-o", "json").json();
        assertThat(promoted.path("role").asText()).isEqualTo("primary");
        assertThat(promoted.path("source").isNull()).isTrue();
        assertThat(promoted.path("masterSecret").asText()).isEqualTo("shop/prod/rpg-p/master");
        assertThat(sql("rpg-p", "SELECT pg_is_in_recovery()").stdout().strip()).isEqualTo("f");
        sql("rpg-p", "INSERT INTO orders VALUES (7777777, 'written after promotion')").requireSuccess("write the promoted replica");
        assertThat(rowsAndChecksum("rpg")).isEqualTo(sourceBefore);
        assertThat(h.instance("rpg").path("replicas").toString()).isEqualTo("[\"rpg-ro\"]");
        assertThat(slots()).containsExactly("stratum_rpg_ro");
        // its password is its own from now on: rotating it leaves the source's alone
        String sourceSecret = h.api().get("/v1/secret-values/shop/prod/rpg/master").path("value").path("password").asText();
        h.ok("db", "rotate-password", "rpg-p");
        assertThat(h.api().get("/v1/secret-values/shop/prod/rpg/master").path("value").path("password").asText()).isEqualTo(sourceSecret);
        sql("rpg-p", "SELECT 1").requireSuccess("the promoted instance with its rotated password");
        sql("rpg", "SELECT 1").requireSuccess("the source with its own password");
    }

    /** A replica's delete takes its slot with it; then the source may go. */
    /** A replica deleted while its source is stopped leaves its slot; the slot goes once the source runs again. */
    @Test
    @Order(8)
    void aSlotLeftWhileTheSourceWasStoppedIsDroppedOnceItRuns() {
        h.ok("db", "replica", "create", "rpg-x", "--source", "rpg");
        h.ok("db", "stop", "rpg");
        h.ok("db", "delete", "rpg-x", "--confirm", "rpg-x");
        assertThat(events()).contains("instance.replication-slot-left");
        h.ok("db", "start", "rpg");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> !slots().contains("stratum_rpg_x"));
        assertThat(slots()).containsExactly("stratum_rpg_ro");
    }

    @Test
    @Order(9)
    void deletingTheReplicaDropsItsSlotAndThenTheSourceMayGo() {
        h.ok("db", "delete", "rpg-ro", "--confirm", "rpg-ro");
        assertThat(slots()).isEmpty();
        assertThat(h.instance("rpg").path("replicas").toString()).isEqualTo("[]");
        assertThat(h.ok("secret", "list", "-o", "json").out()).contains("shop/prod/rpg/master");
        h.ok("db", "delete", "rpg", "--confirm", "rpg", "--skip-final-snapshot");
        assertThat(h.ok("secret", "list", "-o", "json").out()).doesNotContain("shop/prod/rpg/");
        h.ok("db", "delete", "rpg-p", "--confirm", "rpg-p", "--skip-final-snapshot");
    }

    /** Redis: REPLICAOF with a replication ACL user; the replica refuses writes; the source's new password reaches it. */
    @Test
    @Order(10)
    void aRedisReplicaHasTheKeysFollowsWritesRefusesItsOwnAndTakesTheSourcesNewPassword() {
        h.ok("db", "create", "rrd", "--engine", "redis", "--class", "micro", "--stack", "shop", "--stage", "prod", "--security-group", "web");
        for (int i = 0; i < 200; i++) redis("rrd", "SET", "k" + i, "v" + i).requireSuccess("SET");
        JsonNode replica = h.ok("db", "replica", "create", "rrd-ro", "--source", "rrd", "-o", "json").json();
        assertThat(replica.path("role").asText()).isEqualTo("replica");
        assertThat(redis("rrd-ro", "DBSIZE").stdout().strip()).isEqualTo("200");
        assertThat(redis("rrd-ro", "GET", "k199").stdout().strip()).isEqualTo("v199");
        redis("rrd", "SET", "after", "1").requireSuccess("write the source");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis("rrd-ro", "GET", "after").stdout().strip().equals("1"));
        assertThat(redis("rrd-ro", "SET", "mine", "1").stdout()).contains("READONLY You can't write against a read only replica");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.instance("rrd-ro").path("replication").path("streaming").asBoolean());
        // the replication user may sync and nothing else; a tenant cannot use it
        assertThat(redis("rrd", "ACL", "GETUSER", "stratum_replicator").stdout()).containsAnyOf("NOPERM", "no permissions");

        EngineHarness.Run tlsApart = h.cli("db", "modify", "rrd", "--tls", "require", "--apply-immediately");
        assertThat(tlsApart.exit()).isEqualTo(2);
        assertThat(tlsApart.err()).contains("read replica 'rrd-ro' could not follow").contains("TLS mode");
        h.ok("db", "rotate-password", "rrd");
        h.ok("db", "user", "create", "worker", "--instance", "rrd", "--access", "read");
        String workerPassword = h.api().get("/v1/secret-values/shop/prod/rrd/users/worker").path("value").path("password").asText();
        try (SourceRelay relay = SourceRelay.start(ADMITTED, "127.0.0.1", replica.path("endpoint").path("port").asInt())) {
            assertThat(Proc.run(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(relay.port()), "--user", "worker",
                    "--no-auth-warning", "GET", "k1"), Map.of("REDISCLI_AUTH", workerPassword), null, null, 30).stdout().strip())
                    .as("the source's user reads on the replica").isEqualTo("v1");
        }
        assertThat(redis("rrd-ro", "GET", "k0").stdout().strip()).as("the replica takes the source's new password").isEqualTo("v0");
        assertThat(h.ok("env", "shop", "prod", "-o", "json").json().path("REDIS_READER_PORT").asInt())
                .isEqualTo(replica.path("endpoint").path("port").asInt());

        h.ok("db", "promote", "rrd-ro", "--confirm", "rrd-ro");
        redis("rrd-ro", "SET", "mine", "1").requireSuccess("write the promoted replica");
        assertThat(redis("rrd-ro", "GET", "mine").stdout().strip()).isEqualTo("1");
        assertThat(redis("rrd", "GET", "mine").stdout().strip()).as("the source is untouched").isEmpty();
        h.ok("db", "delete", "rrd-ro", "--confirm", "rrd-ro", "--skip-final-snapshot");
        h.ok("db", "delete", "rrd", "--confirm", "rrd", "--skip-final-snapshot");
    }

    /** A redis-cli command as the master user from the admitted address. */
    static Proc.Result redis(String instance, String... command) {
        JsonNode c = h.credentials(instance);
        try (SourceRelay relay = SourceRelay.start(ADMITTED, c.path("host").asText(), c.path("port").asInt())) {
            List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(relay.port()), "--user",
                    c.path("username").asText(), "--no-auth-warning"));
            argv.addAll(List.of(command));
            return Proc.run(argv, Map.of("REDISCLI_AUTH", c.path("password").asText()), null, null, 30);
        }
    }

    /** Rows the engine has returned in database app since its start (pg_stat_database.tup_returned). */
    static long rowsRead(String instance) {
        return Long.parseLong(sql(instance, "SELECT tup_returned FROM pg_stat_database WHERE datname = 'app'")
                .requireSuccess("rows read on " + instance).stdout().strip());
    }

    static List<String> slots() {
        return sql("rpg", "SELECT slot_name FROM pg_replication_slots ORDER BY 1").requireSuccess("list slots").stdout().lines()
                .filter(l -> !l.isBlank()).toList();
    }

    static String names() {
        List<String> names = new ArrayList<>();
        h.ok("db", "list", "-o", "json").json().forEach(i -> names.add(i.path("name").asText() + ":" + i.path("status").asText()));
        return String.join(",", names);
    }
}
