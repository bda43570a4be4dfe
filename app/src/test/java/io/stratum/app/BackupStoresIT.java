package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestS3;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups to an S3 store (s3proxy, a real S3 server) for every engine, restored and drilled; damaged, truncated,
 * chunk-less and foreign-manifest backups refused by restore and verify with nothing created; stores as resources.
 */
class BackupStoresIT {
    static final String BUCKET = "stratum-backups";
    static final String PG_DATA = "CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric);"
            + "INSERT INTO orders SELECT g, 'customer-secret-' || md5(g::text), g * 1.5 FROM generate_series(1, 20000) g;"
            + "CREATE TABLE noise (id int PRIMARY KEY, a text, b text);"
            + "INSERT INTO noise SELECT g, md5(random()::text) || md5(random()::text), md5(random()::text) FROM generate_series(1, 60000) g;";
    static EngineHarness h;
    static TestS3 s3;

    @BeforeAll
    static void start() {
        s3 = TestS3.start();
        h = new EngineHarness("backup-stores-it", ServerOptions.Engines.defaults().withPortRange("23700-23799"));
        Proc.Result add = stratum(s3.secretKey() + "\n", "store", "add", "s3", "--s3-endpoint", s3.endpoint(), "--bucket", BUCKET,
                "--prefix", "stratum", "--access-key", TestS3.ACCESS_KEY, "--secret-key-stdin", "--path-style", "--create-bucket");
        assertThat(add.exit()).as(add.stderr() + add.stdout()).isZero();
        ok("db", "create", "pgsrc", "--engine", "postgres", "--backup-store", "s3");
        ok("db", "create", "mariasrc", "--engine", "mariadb", "--backup-store", "s3");
        ok("db", "create", "cachesrc", "--engine", "redis", "--backup-store", "s3");
        assertThat(h.client("pgsrc", PG_DATA).exit()).isZero();
        assertThat(h.client("mariasrc", BackupIT.MARIA_TABLE).exit()).isZero();
        List<String> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 1; i <= 800; i++) mset.addAll(List.of("session:" + i, "customer-secret-" + i));
        assertThat(h.client("cachesrc", mset.toArray(String[]::new)).stdout().strip()).isEqualTo("OK");
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            if (s3 != null) s3.close();
        }
    }

    /** The packaged CLI as a user runs it, with {@code stdin}. */
    static Proc.Result stratum(String stdin, String... args) {
        return ServerProcess.cliWithInput(h.root(), stdin, args);
    }

    static EngineHarness.Run ok(String... args) {
        EngineHarness.Run r = h.cli(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err() + r.out()).isZero();
        return r;
    }

    static String backup(String instance) {
        ok("backup", "create", instance);
        JsonNode b = h.api().get("/v1/backups?instance=" + instance).get(0);
        assertThat(b.path("status").asText()).isEqualTo("available");
        assertThat(b.path("store").asText()).isEqualTo("s3");
        return b.path("id").asText();
    }

    static Path object(String id, String name) {
        return s3.bucketDir(BUCKET).resolve("stratum").resolve(id).resolve(name);
    }

    static String pgCheck(String instance) {
        return h.client(instance, "SELECT (SELECT count(*) || ' ' || md5(string_agg(id || customer || total, ',' ORDER BY id)) FROM orders)"
                + " || ' ' || (SELECT count(*) || ' ' || md5(string_agg(a || b, ',' ORDER BY id)) FROM noise)").stdout().strip();
    }

    static String mariaCheck(String instance) {
        return h.client(instance, "SET SESSION group_concat_max_len = 100000000; " + BackupIT.MARIA_CHECK).stdout().strip();
    }

    @Test
    void everyEngineRoundTripsThroughS3AndPassesItsDrill() throws Exception {
        String pg = backup("pgsrc");
        String maria = backup("mariasrc");
        String cache = backup("cachesrc");
        for (String id : List.of(pg, maria, cache)) {
            assertThat(object(id, "archive")).exists();
            assertThat(object(id, "manifest")).exists();
            for (String o : List.of("archive", "manifest")) {
                assertThat(new String(Files.readAllBytes(object(id, o)), StandardCharsets.ISO_8859_1)).as("no value readable in " + o)
                        .doesNotContain("customer-secret").doesNotContain("orders").doesNotContain("session:");
            }
        }
        assertThat(s3.objects(BUCKET)).as("nothing but archives and manifests").allMatch(p -> p.toString().matches("stratum/bk-[^/]+/(archive|manifest)"));

        for (JsonNode op : h.api().get("/v1/operations?limit=50")) {
            if (op.path("type").asText().equals("create-backup") && op.path("resource").asText().equals("pgsrc")) {
                assertThat(op.path("detail").asText()).as("the operation records progress").matches("dumped [0-9.]+ [kMG]B, [0-9.]+ [kMG]B/s in \\d+ ms, .* stored");
                break;
            }
        }
        ok("backup", "restore", pg, "--to", "pgcopy");
        assertThat(pgCheck("pgcopy")).isEqualTo(pgCheck("pgsrc")).startsWith("20000 ");
        ok("backup", "restore", maria, "--to", "mariacopy");
        assertThat(mariaCheck("mariacopy")).isEqualTo(mariaCheck("mariasrc")).startsWith("20000 ");
        ok("backup", "restore", cache, "--to", "cachecopy");
        assertThat(h.client("cachecopy", "DBSIZE").stdout().strip()).isEqualTo("800");
        for (int i : new int[] {1, 317, 800}) {
            assertThat(h.client("cachecopy", "GET", "session:" + i).stdout().strip()).isEqualTo("customer-secret-" + i);
        }

        for (String id : List.of(pg, maria, cache)) {
            EngineHarness.Run drill = ok("backup", "verify", id);
            assertThat(drill.out()).contains("passed").contains("match the manifest");
            JsonNode d = h.api().get("/v1/backups/" + id).path("drill");
            assertThat(d.path("status").asText()).isEqualTo("passed");
            assertThat(d.path("millis").asLong()).isPositive();
        }
        assertThat(h.api().get("/v1/backups/" + pg).path("drill").path("detail").asText()).contains("2 tables").contains("80000 rows");
        JsonNode shown = h.instance("pgsrc");
        assertThat(shown.path("backupStore").asText()).isEqualTo("s3");
        assertThat(shown.path("lastDrill").path("status").asText()).isEqualTo("passed");
        assertThat(h.api().get("/v1/instances").toString()).as("scratch instances removed").doesNotContain("\"name\":\"drill-");
        assertThat(h.api().get("/v1/events?limit=1000").toString()).contains("backup.drill-passed");
    }

    @Test
    void damagedTruncatedChunklessAndForeignBackupsAreRefusedByRestoreAndVerify() throws Exception {
        String id = backup("pgsrc");
        String other = backup("pgsrc");
        byte[] good = Files.readAllBytes(object(id, "archive"));
        byte[] manifest = Files.readAllBytes(object(id, "manifest"));
        int segment = 1 << 20;
        assertThat(good.length).as("an archive of at least three segments").isGreaterThan(4 + 2 * segment);
        int instances = h.api().get("/v1/instances").size();

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        refused(id, "archive", flipped, "failed authentication");
        refused(id, "archive", java.util.Arrays.copyOf(good, good.length - 100), "truncated");
        // format 2: the magic, then segments of 1 MiB (the first one holding the header); drop the second segment
        ByteArrayOutputStream withoutSegment = new ByteArrayOutputStream();
        withoutSegment.write(good, 0, 4 + segment);
        withoutSegment.write(good, 4 + 2 * segment, good.length - (4 + 2 * segment));
        refused(id, "archive", withoutSegment.toByteArray(), "failed authentication");
        Files.write(object(id, "archive"), good);
        refused(id, "manifest", Files.readAllBytes(object(other, "manifest")), "another backup");
        Files.write(object(id, "manifest"), manifest);

        assertThat(h.api().get("/v1/instances").size()).as("nothing created").isEqualTo(instances);
        ok("backup", "restore", id, "--to", "pgintact");
        assertThat(pgCheck("pgintact")).startsWith("20000 ");
    }

    static void refused(String id, String object, byte[] content, String reason) throws Exception {
        Files.write(object(id, object), content);
        EngineHarness.Run restore = h.cli("backup", "restore", id, "--to", "pgbroken");
        assertThat(restore.exit()).as(object + " " + reason + ": " + restore.err()).isEqualTo(2);
        assertThat(restore.err()).contains(reason).contains("nothing was created");
        EngineHarness.Run verify = h.cli("backup", "verify", id);
        assertThat(verify.exit()).as(verify.err()).isEqualTo(2);
        assertThat(verify.err()).contains(reason);
        assertThat(h.root().resolve("instances/pgbroken")).doesNotExist();
    }

    @Test
    void storesAreCheckedWhenAddedAndKeptWhileTheyHoldBackups() throws Exception {
        Proc.Result wrong = stratum("not-the-secret\n", "store", "add", "badkey", "--s3-endpoint", s3.endpoint(), "--bucket", BUCKET,
                "--access-key", TestS3.ACCESS_KEY, "--secret-key-stdin", "--path-style");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("store 'badkey' does not work").contains("nothing was added");
        Proc.Result nowhere = stratum(s3.secretKey() + "\n", "store", "add", "nowhere", "--s3-endpoint", "http://no-such-host.invalid:9000",
                "--bucket", BUCKET, "--access-key", TestS3.ACCESS_KEY, "--secret-key-stdin", "--path-style");
        assertThat(nowhere.exit()).isEqualTo(2);
        assertThat(nowhere.stderr()).contains("s3Endpoint").contains("does not resolve").contains("no-such-host.invalid");
        EngineHarness.Run missingBucket = h.cli("store", "add", "nobucket", "--s3-endpoint", s3.endpoint(), "--access-key", "x");
        assertThat(missingBucket.exit()).isEqualTo(2);
        assertThat(missingBucket.err()).contains("bucket").contains("secretKey");
        assertThat(h.cli("store", "add", "relative", "--dir", "backups").err()).contains("not an absolute path");
        Path dir = Files.createTempDirectory("stratum-store-");
        // a directory that is not there (an unmounted NAS) is refused, and nothing is created on the root disk
        Path unmounted = dir.resolveSibling(dir.getFileName() + "-nas");
        EngineHarness.Run missing = h.cli("store", "add", "nas", "--dir", unmounted.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("dir").contains("does not exist").contains("--create");
        assertThat(unmounted).doesNotExist();
        ok("store", "add", "made", "--dir", unmounted.resolve("sub").toString(), "--create");
        assertThat(unmounted.resolve("sub")).isDirectory();
        ok("store", "delete", "made", "--confirm", "made");
        ok("store", "add", "local", "--dir", dir.toString());
        String stores = ok("store", "list", "-o", "json").out();
        assertThat(stores).contains("\"default\"").contains("\"s3\"").contains("\"local\"").doesNotContain("badkey")
                .doesNotContain(s3.secretKey());

        EngineHarness.Run inUse = h.cli("store", "delete", "s3", "--confirm", "s3");
        assertThat(inUse.exit()).isEqualTo(4);
        assertThat(inUse.err()).containsAnyOf("holds", "go to store");
        ok("backup", "create", "mariasrc", "--store", "local");
        JsonNode b = h.api().get("/v1/backups?instance=mariasrc").get(0);
        assertThat(b.path("store").asText()).isEqualTo("local");
        assertThat(dir.resolve(b.path("id").asText()).resolve("archive")).exists();
        ok("backup", "delete", b.path("id").asText(), "--confirm", b.path("id").asText());
        assertThat(dir.resolve(b.path("id").asText()).resolve("archive")).doesNotExist();
        ok("store", "delete", "local", "--confirm", "local");
        assertThat(ok("store", "list").out()).doesNotContain("local");
        String log = Files.readString(h.root().resolve("log/stratum.log"));
        assertThat(log).doesNotContain(s3.secretKey());
        assertThat(h.api().get("/v1/events?limit=1000").toString()).doesNotContain(s3.secretKey()).contains("store.added");
    }

    @Test
    void drillsAfterEachBackupRunOnTheirOwnAndShowInDbShow() {
        EngineHarness.Run bad = h.cli("db", "modify", "cachesrc", "--drill", "daily");
        assertThat(bad.exit()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).contains("drill").contains("weekly, after-each or off");
        ok("db", "modify", "cachesrc", "--drill", "after-each");
        String id = backup("cachesrc");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "passed".equals(h.api().get("/v1/backups/" + id).path("drill").path("status").asText()));
        assertThat(h.instance("cachesrc").path("drillSchedule").asText()).isEqualTo("after-each");
        assertThat(h.instance("cachesrc").path("lastDrill").path("backup").asText()).isEqualTo(id);
        ok("db", "modify", "cachesrc", "--drill", "off");
    }
}
