package io.stratum.app;

import io.stratum.testkit.SettableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backups of PostgreSQL and MariaDB restored into new instances, checked with the real clients; damaged archives refused. */
class BackupIT {
    static final String PG_TABLE = "CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric);"
            + "INSERT INTO orders SELECT g, 'customer-secret-' || md5(g::text), g * 1.5 FROM generate_series(1, 20000) g;";
    static final String PG_CHECK = "SELECT count(*) || ' ' || md5(string_agg(id || customer || total, ',' ORDER BY id)) FROM orders";
    static final String MARIA_TABLE = "CREATE TABLE orders (id INT PRIMARY KEY, customer TEXT, total DECIMAL(12,2));"
            + "INSERT INTO orders SELECT seq, CONCAT('customer-secret-', MD5(seq)), seq * 1.5 FROM seq_1_to_20000;";
    static final String MARIA_CHECK = "SELECT CONCAT(COUNT(*), ' ', MD5(GROUP_CONCAT(CONCAT(id, customer, total) ORDER BY id SEPARATOR ','))) "
            + "FROM orders";
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("backup-it", ServerOptions.Engines.defaults().withPortRange("23500-23599"));
        ok("db", "create", "pgsrc", "--engine", "postgres");
        ok("db", "create", "mariasrc", "--engine", "mariadb");
        assertThat(h.client("pgsrc", PG_TABLE).exit()).isZero();
        assertThat(h.client("mariasrc", "SET SESSION group_concat_max_len = 100000000; " + MARIA_TABLE).exit()).isZero();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static EngineHarness.Run ok(String... args) {
        EngineHarness.Run r = h.cli(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + r.out()).isZero();
        return r;
    }

    static String check(String instance) {
        String sql = instance.startsWith("pg") ? PG_CHECK : "SET SESSION group_concat_max_len = 100000000; " + MARIA_CHECK;
        var r = h.client(instance, sql);
        assertThat(r.exit()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    static JsonNode latestBackup(String instance) {
        return h.api().get("/v1/backups?instance=" + instance).get(0);
    }

    static Path archive(String id) {
        return h.root().resolve("backups").resolve(id).resolve("archive");
    }

    @Test
    void eachEngineComesBackIdenticalInANewInstance() throws Exception {
        for (String source : new String[] {"pgsrc", "mariasrc"}) {
            String before = check(source);
            assertThat(before).startsWith("20000 ");
            // a script reads the backup from -o json (the resource, nothing else on stdout); people get its id in a sentence
            boolean json = source.startsWith("pg");
            EngineHarness.Run created = json ? ok("backup", "create", source, "-o", "json") : ok("backup", "create", source);
            JsonNode b = latestBackup(source);
            if (json) {
                assertThat(created.json().path("id").asText()).isEqualTo(b.path("id").asText());
                assertThat(created.json().path("status").asText()).isEqualTo("available");
            } else {
                assertThat(created.out()).startsWith("backup " + b.path("id").asText() + " of " + source + " is available (");
            }
            assertThat(b.path("status").asText()).isEqualTo("available");
            assertThat(b.path("kind").asText()).isEqualTo("manual");
            assertThat(h.instance(source).path("latestBackup").path("status").asText()).as("db show").isEqualTo("available");
            String stored = new String(Files.readAllBytes(archive(b.path("id").asText())), StandardCharsets.ISO_8859_1);
            assertThat(stored).as("no table value readable in the store").doesNotContain("customer-secret");
            String copy = source.replace("src", "copy");
            ok("backup", "restore", b.path("id").asText(), "--to", copy);
            assertThat(check(copy)).as(source + " restored").isEqualTo(before);
            if (json) loadedInBulkThenNormalAndDurable(copy, before);
        }
        assertThat(h.api().get("/v1/events?limit=1000").toString()).contains("backup.available");
    }

    /**
     * PostgreSQL loads a new instance with minimal WAL: once it is available the instance's own settings are back (its
     * WAL complete again), and what was loaded survives the engine being killed right after (crash recovery on its
     * next start). A crash during the load itself is a restore that starts again: BackupCrashIT.
     */
    private static void loadedInBulkThenNormalAndDurable(String copy, String before) {
        assertThat(h.client(copy, "SHOW wal_level").stdout().strip()).as("bulk-load settings left").isEqualTo("replica");
        assertThat(h.root().resolve("instances/" + copy + "/conf/bulk-load.conf")).doesNotExist();
        long pid = io.stratum.engines.EngineFiles.readPid(h.root().resolve("instances/" + copy + "/data/postmaster.pid"));
        assertThat(io.stratum.testkit.Proc.run("kill", "-9", String.valueOf(pid)).exit()).isZero();
        ok("db", "reboot", copy);
        assertThat(check(copy)).as("after a crash right after the restore").isEqualTo(before);
        assertThat(h.client(copy, "INSERT INTO orders VALUES (20001, 'after', 1)").exit()).as("writable").isZero();
    }

    /** A tenant's table named with psql's separator and a line break is counted and checked like any other. */
    @Test
    void oddTableNamesAreDrilledLikeAnyOther() {
        ok("db", "create", "pgodd", "--engine", "postgres", "--class", "micro");
        assertThat(h.client("pgodd", "CREATE TABLE \"odd|name\nwith a break\" AS SELECT g FROM generate_series(1, 42) g").exit()).isZero();
        JsonNode b = ok("backup", "create", "pgodd", "-o", "json").json();
        JsonNode drilled = ok("backup", "verify", b.path("id").asText(), "-o", "json").json();
        assertThat(drilled.path("drill").path("status").asText()).as(drilled.toString()).isEqualTo("passed");
        ok("db", "delete", "pgodd", "--confirm", "pgodd", "--skip-final-snapshot");
    }

    @Test
    void damagedArchivesAreRefusedAndNothingIsCreated() throws Exception {
        ok("backup", "create", "pgsrc");
        String id = latestBackup("pgsrc").path("id").asText();
        byte[] good = Files.readAllBytes(archive(id));
        int instances = h.api().get("/v1/instances").size();

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(archive(id), flipped);
        EngineHarness.Run r = h.cli("backup", "restore", id, "--to", "pgbroken");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot be used").contains("failed authentication").contains("nothing was created");

        Files.write(archive(id), java.util.Arrays.copyOf(good, good.length - 100));
        r = h.cli("backup", "restore", id, "--to", "pgbroken");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("truncated");

        Files.delete(archive(id));
        r = h.cli("backup", "restore", id, "--to", "pgbroken");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing");
        assertThat(h.api().get("/v1/instances").size()).isEqualTo(instances);
        assertThat(h.root().resolve("instances/pgbroken")).doesNotExist();
    }

    /**
     * A restore unpacks the whole dump next to the instance before it loads it: a dump larger than the disk can take
     * (with the headroom instances keep) is refused before anything is created or emptied, for a new instance, an
     * existing one and a drill alike.
     */
    @Test
    void aRestoreWhoseDumpTheDiskCannotTakeIsRefusedBeforeAnythingChanges() throws Exception {
        JsonNode b = ok("backup", "create", "pgsrc", "-o", "json").json();
        String id = b.path("id").asText();
        String before = check("pgsrc");
        int instances = h.api().get("/v1/instances").size();
        setDumpBytes(id, 1L << 50);
        try {
            EngineHarness.Run r = h.cli("backup", "restore", id, "--to", "pgnoroom");
            assertThat(r.exit()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("needs about 2097152.0 GiB").contains("free space first").contains("nothing was created");
            r = h.cli("backup", "restore", id, "--into", "pgsrc", "--confirm", "pgsrc");
            assertThat(r.exit()).as(r.err()).isEqualTo(4);
            r = h.cli("backup", "verify", id);
            assertThat(r.exit()).as(r.err()).isEqualTo(4);
            assertThat(h.api().get("/v1/instances").size()).isEqualTo(instances);
            assertThat(h.root().resolve("instances/pgnoroom")).doesNotExist();
            assertThat(check("pgsrc")).as("not emptied").isEqualTo(before);
            assertThat(h.api().get("/v1/backups?instance=pgsrc").toString()).as("no pre-restore snapshot taken").doesNotContain("pre-restore");
        } finally {
            setDumpBytes(id, b.path("dumpBytes").asLong());
        }
    }

    private static void setDumpBytes(String id, long bytes) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + h.root().resolve("stratum.db"));
             var st = c.prepareStatement("UPDATE backups SET dump_bytes = ? WHERE id = ?")) {
            st.setLong(1, bytes);
            st.setString(2, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void restoreIntoAnExistingInstanceNeedsConfirmationAndKeepsAPreRestoreSnapshot() {
        ok("db", "create", "pginto", "--engine", "postgres");
        assertThat(h.client("pginto", "CREATE TABLE ledger AS SELECT g AS id, 'v1-' || g AS note FROM generate_series(1, 1000) g").exit()).isZero();
        ok("backup", "create", "pginto");
        String v1 = latestBackup("pginto").path("id").asText();
        assertThat(h.client("pginto", "DELETE FROM ledger WHERE id > 10; CREATE TABLE later (x int); INSERT INTO later VALUES (1)").exit()).isZero();

        EngineHarness.Run unconfirmed = h.cli("backup", "restore", v1, "--into", "pginto");
        assertThat(unconfirmed.exit()).isEqualTo(4);
        assertThat(unconfirmed.err()).contains("replaces all of its data").contains("--confirm pginto");
        ok("db", "modify", "pginto", "--deletion-protection");
        EngineHarness.Run protectedOne = h.cli("backup", "restore", v1, "--into", "pginto", "--confirm", "pginto");
        assertThat(protectedOne.exit()).isEqualTo(4);
        assertThat(protectedOne.err()).contains("deletion protection");
        assertThat(h.client("pginto", "SELECT count(*) FROM ledger").stdout().strip()).as("nothing changed").isEqualTo("10");
        ok("db", "modify", "pginto", "--no-deletion-protection");

        ok("backup", "restore", v1, "--into", "pginto", "--confirm", "pginto");
        assertThat(h.client("pginto", "SELECT count(*) || ' ' || max(note) FROM ledger").stdout().strip()).isEqualTo("1000 v1-999");
        assertThat(h.client("pginto", "SELECT count(*) FROM pg_tables WHERE tablename = 'later'").stdout().strip())
                .as("tables made after the backup are gone").isEqualTo("0");
        JsonNode pre = latestBackup("pginto");
        assertThat(pre.path("kind").asText()).isEqualTo("pre-restore");
        assertThat(pre.path("status").asText()).isEqualTo("available");
        ok("backup", "restore", pre.path("id").asText(), "--to", "pgbefore");
        assertThat(h.client("pgbefore", "SELECT (SELECT count(*) FROM ledger) || ' ' || (SELECT count(*) FROM later)").stdout().strip())
                .as("the pre-restore snapshot holds the data as it was").isEqualTo("10 1");
        assertThat(h.instance("pginto").path("status").asText()).isEqualTo("available");
    }

    @Test
    void deleteTakesAFinalSnapshotThatRestoresEvenAfterAMasterKeyRotation() {
        ok("db", "create", "pgdoomed", "--engine", "postgres");
        assertThat(h.client("pgdoomed", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 500) g").exit()).isZero();
        EngineHarness.Run refused = h.cli("db", "delete", "pgdoomed");
        assertThat(refused.exit()).as("typed confirmation first").isEqualTo(4);
        ok("db", "delete", "pgdoomed", "--confirm", "pgdoomed");
        JsonNode finalSnapshot = latestBackup("pgdoomed");
        assertThat(finalSnapshot.path("kind").asText()).isEqualTo("final");
        assertThat(finalSnapshot.path("status").asText()).isEqualTo("available");
        ok("master-key", "rotate");
        ok("backup", "restore", finalSnapshot.path("id").asText(), "--to", "pgreborn");
        assertThat(h.client("pgreborn", "SELECT count(*) FROM t").stdout().strip()).isEqualTo("500");
    }

    @Test
    void redisComesBackWithItsKeysAndKeepsThemAcrossARestart() {
        ok("db", "create", "cache", "--engine", "redis");
        java.util.List<String> mset = new java.util.ArrayList<>(java.util.List.of("MSET"));
        for (int i = 1; i <= 500; i++) mset.addAll(java.util.List.of("session:" + i, "customer-secret-" + i));
        assertThat(h.client("cache", mset.toArray(String[]::new)).stdout().strip()).isEqualTo("OK");
        ok("backup", "create", "cache");
        JsonNode b = latestBackup("cache");
        assertThat(b.path("status").asText()).isEqualTo("available");
        // the RDB is sent at once, not after Redis 7's 5 s wait for more replicas (a 253-byte backup took 4.6 s)
        assertThat(h.redisAdmin("cache", "CONFIG", "GET", "repl-diskless-sync-delay").stdout()).endsWith("\n0\n");
        ok("backup", "restore", b.path("id").asText(), "--to", "cachecopy");
        assertThat(h.client("cachecopy", "DBSIZE").stdout().strip()).isEqualTo("500");
        assertThat(h.client("cachecopy", "GET", "session:317").stdout().strip()).isEqualTo("customer-secret-317");
        ok("db", "reboot", "cachecopy");
        assertThat(h.client("cachecopy", "DBSIZE").stdout().strip()).as("kept in the AOF after the restore").isEqualTo("500");
        ok("db", "delete", "cache", "--confirm", "cache");
        assertThat(latestBackup("cache").path("kind").asText()).isEqualTo("final");
    }

    @Test
    void automatedBackupsRunInTheWindowAndExpireWhileManualOnesStay() {
        SettableClock clock = new SettableClock();
        try (EngineHarness sched = new EngineHarness("backup-sched", ServerOptions.Engines.defaults().withPortRange("23580-23599"),
                o -> o, clock)) {
            String window = windowStartingNow();
            assertThat(sched.cli("db", "create", "pgauto", "--engine", "postgres", "--backup-window", window, "--backup-retention", "1")
                    .exit()).isZero();
            assertThat(sched.cli("backup", "create", "pgauto").exit()).isZero();
            String manual = sched.api().get("/v1/backups?instance=pgauto").get(0).path("id").asText();

            clock.advance(Duration.ofDays(1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> automated(sched).size() == 1);
            String first = automated(sched).get(0);

            clock.advance(Duration.ofDays(2));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> automated(sched).size() == 1 && !automated(sched).contains(first));
            String backups = sched.api().get("/v1/backups?instance=pgauto").toString();
            assertThat(backups).contains(manual).doesNotContain(first);
            assertThat(sched.api().get("/v1/events?limit=1000").toString()).contains("backup.pruned").contains(first);
        }
    }

    @Test
    void aWindowThatPassesWithoutABackupIsAFailedMissedBackupInDbShow() {
        SettableClock clock = new SettableClock();
        try (EngineHarness missed = new EngineHarness("backup-missed", ServerOptions.Engines.defaults().withPortRange("23560-23579"),
                o -> o, clock)) {
            String window = windowStartingNow();
            assertThat(missed.cli("db", "create", "cachemissed", "--engine", "redis", "--backup-window", window).exit()).isZero();
            // the control plane is "down" for a day: the clock jumps past tomorrow's window without a backup in it
            missed.downWhile(() -> clock.advance(Duration.ofHours(25)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> "failed".equals(missed.instance("cachemissed").path("latestBackup").path("status").asText()));
            JsonNode latest = missed.instance("cachemissed").path("latestBackup");
            assertThat(latest.path("kind").asText()).isEqualTo("automated");
            assertThat(latest.path("error").asText()).contains("missed").contains(window);
            assertThat(missed.api().get("/v1/events?limit=1000").toString()).contains("backup.missed");
            long failed = 0;
            for (JsonNode b : missed.api().get("/v1/backups?instance=cachemissed")) failed += b.path("status").asText().equals("failed") ? 1 : 0;
            assertThat(failed).as("recorded once").isEqualTo(1);
        }
    }

    /** A 30-minute backup window that began a minute ago (UTC). */
    static String windowStartingNow() {
        java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
        return String.format("%1$tH:%1$tM-%2$tH:%2$tM", now.minusMinutes(1), now.plusMinutes(29));
    }

    static java.util.List<String> automated(EngineHarness harness) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (JsonNode b : harness.api().get("/v1/backups?instance=pgauto")) {
            if (b.path("kind").asText().equals("automated") && b.path("status").asText().equals("available")) ids.add(b.path("id").asText());
        }
        return ids;
    }
}
