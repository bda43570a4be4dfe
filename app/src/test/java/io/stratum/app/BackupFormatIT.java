package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.backup.ArchiveInputStream;
import io.stratum.core.backup.Backup;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.server.ServerOptions;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.MasterKeyring;
import io.stratum.testkit.BackupObjects;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stored format of backups: every object (archive and manifest, of every engine, of repeated backups of the same
 * data) has a key and nonces of its own; and backups written in format 1, before it, still restore and pass a drill.
 */
class BackupFormatIT {
    static final List<String> SOURCES = List.of("fmtpg", "fmtmy", "fmtrd");
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("backup-format-it", ServerOptions.Engines.defaults().withPortRange("25200-25299"));
        ok("db", "create", "fmtpg", "--engine", "postgres");
        ok("db", "create", "fmtmy", "--engine", "mariadb");
        ok("db", "create", "fmtrd", "--engine", "redis");
        assertThat(h.client("fmtpg", "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 5000) g").exit()).isZero();
        assertThat(h.client("fmtmy", "CREATE TABLE t AS SELECT seq AS id, MD5(seq) AS v FROM seq_1_to_5000").exit()).isZero();
        assertThat(h.client("fmtrd", "SET", "k", "v").exit()).isZero();
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static void ok(String... args) {
        h.ok(args);
    }

    static String latest(String instance) {
        return h.api().get("/v1/backups?instance=" + instance).get(0).path("id").asText();
    }

    @Test
    void noTwoStoredObjectsShareAKeyAndNonce() throws Exception {
        for (String source : SOURCES) {
            ok("backup", "create", source);
            ok("backup", "create", source); // the same data again, under a new backup's data key
        }
        List<Path> objects;
        try (Stream<Path> files = Files.walk(h.root().resolve("backups"))) {
            objects = files.filter(p -> p.getFileName().toString().equals("archive") || p.getFileName().toString().equals("manifest")).toList();
        }
        assertThat(objects).hasSizeGreaterThanOrEqualTo(12);
        List<BackupObjects.Header> headers = new ArrayList<>();
        for (Path o : objects) headers.add(BackupObjects.header(o));
        assertThat(headers.stream().map(BackupObjects.Header::salt).distinct()).as("per-object key salts").hasSameSizeAs(objects);
        assertThat(headers.stream().map(BackupObjects.Header::noncePrefix).distinct()).as("nonce prefixes").hasSameSizeAs(objects);
    }

    @Test
    void backupsWrittenInFormat1StillRestoreAndPassADrill() throws Exception {
        for (String source : SOURCES) {
            ok("backup", "create", source);
            String id = latest(source);
            Backup b = h.server.services().backups().get(SystemActor.PRINCIPAL, id);
            byte[] dataKey = dataKey(b);
            Path dir = h.root().resolve("backups").resolve(id);
            String archiveSha = rewriteAsFormat1(dir.resolve("archive"), dataKey, id, content -> content);
            // the manifest names its archive's SHA-256, which the rewrite changed
            String manifestSha = rewriteAsFormat1(dir.resolve("manifest"), dataKey, id + "#manifest", content -> new String(content,
                    java.nio.charset.StandardCharsets.UTF_8).replace(b.sha256(), archiveSha).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + h.root().resolve("stratum.db"));
                 var st = c.prepareStatement("UPDATE backups SET sha256 = ?, manifest_sha256 = ? WHERE id = ?")) {
                st.setString(1, archiveSha);
                st.setString(2, manifestSha);
                st.setString(3, id);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
            ok("backup", "verify", id);
            JsonNode drill = h.api().get("/v1/backups/" + id).path("drill");
            assertThat(drill.path("status").asText()).as(source + ": " + drill).isEqualTo("passed");
            ok("backup", "restore", id, "--to", source + "old");
        }
        assertThat(h.client("fmtpgold", "SELECT count(*) FROM t").stdout().strip()).isEqualTo("5000");
        assertThat(h.client("fmtmyold", "SELECT count(*) FROM t").stdout().strip()).isEqualTo("5000");
        assertThat(h.client("fmtrdold", "GET", "k").stdout().strip()).isEqualTo("v");
    }

    @Test
    void postgresBackupsAreDirectoryDumpsAndLayout1ArchivesStillRestoreAndPassADrill() throws Exception {
        ok("backup", "create", "fmtpg");
        String id = latest("fmtpg");
        Backup b = h.server.services().backups().get(SystemActor.PRINCIPAL, id);
        byte[] dataKey = dataKey(b);
        List<String> names = tarNames(dumpOf(id));
        assertThat(names).as("layout 2: a tar of pg_dump -Fd, toc first").first().isEqualTo("toc.dat");
        assertThat(names.subList(1, names.size())).as("the table's data file").singleElement().asString().matches("[0-9]+\\.dat");

        // the same backup rewritten by the layout-1 writer: one pg_dump -Fc stream through the archive pipeline
        JsonNode c = h.credentials("fmtpg");
        ProcessBuilder pb = new ProcessBuilder("pg_dump", "-Fc", "-Z0", "-h", c.path("host").asText(), "-p", c.path("port").asText(), "-U",
                c.path("username").asText(), "-d", c.path("database").asText());
        pb.environment().put("PGPASSWORD", c.path("password").asText());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process dump = pb.start();
        byte[] custom = dump.getInputStream().readAllBytes();
        assertThat(dump.waitFor()).isZero();
        assertThat(new String(custom, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("PGDMP");
        rewriteArchive(b, dataKey, custom);
        ok("backup", "verify", id);
        JsonNode drill = h.api().get("/v1/backups/" + id).path("drill");
        assertThat(drill.path("status").asText()).as(drill.toString()).isEqualTo("passed");
        assertThat(drill.path("detail").asText()).contains("1 tables match");
        ok("backup", "restore", id, "--to", "fmtpglayout1");
        assertThat(h.client("fmtpglayout1", "SELECT count(*), sum(id) FROM t").stdout().strip()).isEqualTo("5000|12502500");
    }

    /**
     * A backup's manifest counts and checksums each table from the data pg_dump wrote ("c:"), and a drill makes each
     * table's checksum as the manifest made it: from COPY on the restored instance, printed as pg_dump printed it whatever
     * the tenant set for the database (time zone, date, interval, float and bytea formats), or in SQL for a manifest
     * written before ("h:", "t:"). A checksum that differs fails the drill, of either kind.
     */
    @Test
    void drillsCheckEachTableAsItsManifestMadeItWhateverTheTenantSetForPrinting() throws Exception {
        ok("db", "create", "fmtkinds", "--engine", "postgres");
        String db = h.credentials("fmtkinds").path("database").asText();
        for (String sql : new String[] {"ALTER DATABASE " + db + " SET timezone = 'Asia/Tokyo'", "ALTER DATABASE " + db + " SET bytea_output = 'escape'",
                "ALTER DATABASE " + db + " SET DateStyle = 'SQL, DMY'", "ALTER DATABASE " + db + " SET IntervalStyle = 'sql_standard'",
                "ALTER DATABASE " + db + " SET extra_float_digits = -3",
                "CREATE TABLE kinds (id int, at timestamptz, raw bytea, x float8, span interval, note text, gone int, "
                        + "doubled int GENERATED ALWAYS AS (id * 2) STORED)",
                "INSERT INTO kinds (id, at, raw, x, span, note) SELECT g, '2026-01-01 12:00+02'::timestamptz + g * interval '1 hour', "
                        + "decode(md5(g::text), 'hex'), g / 3.0, g * interval '90 minutes', CASE WHEN g % 5 = 0 THEN NULL "
                        + "ELSE E'tab\\there\\nline\\\\' || g END FROM generate_series(1, 3000) g",
                "ALTER TABLE kinds DROP COLUMN gone", "CREATE TABLE empty_one ()", "INSERT INTO empty_one DEFAULT VALUES",
                // a child whose parent gains a column after it: the restore puts that column before the child's own
                "CREATE TABLE parent (a int, z text)", "CREATE TABLE child (x int) INHERITS (parent)", "ALTER TABLE parent ADD COLUMN w int",
                "INSERT INTO child (a, z, x, w) SELECT g, 'z' || g, g * 10, g * 100 FROM generate_series(1, 50) g",
                // names beyond ASCII (and a quote) reach the drill's COPY intact, the inherited order too
                "CREATE TABLE \"Zähler\"\"s\" (\"Größe\" int, n text)", "CREATE TABLE \"子表\" (\"列\" int) INHERITS (\"Zähler\"\"s\")",
                "ALTER TABLE \"Zähler\"\"s\" ADD COLUMN \"später\" text",
                "INSERT INTO \"子表\" SELECT g, 'é' || g, g, 'ü' FROM generate_series(1, 7) g"}) {
            var r = h.client("fmtkinds", sql);
            assertThat(r.exit()).as(sql + ": " + r.stderr()).isZero();
        }
        ok("backup", "create", "fmtkinds");
        Backup b = h.server.services().backups().get(SystemActor.PRINCIPAL, latest("fmtkinds"));
        byte[] dataKey = dataKey(b);
        var store = new io.stratum.backup.StoredArchives(h.root().resolve("backups"), null);
        List<io.stratum.core.backup.TableStat> made = store.readManifest("default", b.id(), dataKey, b.manifestSha256()).tables();
        assertThat(made).extracting(io.stratum.core.backup.TableStat::table).containsExactly("public.\"Zähler\"\"s\"", "public.\"子表\"",
                "public.child", "public.empty_one", "public.kinds", "public.parent");
        assertThat(made).allSatisfy(t -> assertThat(t.checksum()).startsWith("c:"));
        assertThat(made).extracting(io.stratum.core.backup.TableStat::rows).containsExactly(0L, 7L, 50L, 1L, 3000L, 0L);
        assertThat(made.get(2).columns()).as("the child's columns as the dump printed them").containsExactly("a", "z", "x", "w");
        assertThat(made.get(1).columns()).containsExactly("Größe", "n", "列", "später");
        assertThat(drill(b.id())).as("c: checksums from COPY").isEqualTo("passed");
        var others = List.of(made.get(0), made.get(1));
        var child = made.get(2);
        var emptyOne = made.get(3);
        var parent = made.get(5);
        made = List.of(emptyOne, made.get(4));
        // without the dump's column order the child's restored order is printed: another checksum (what drills did before)
        rewriteManifestTables(b, dataKey, with(others, new io.stratum.core.backup.TableStat(child.table(), 50, child.checksum()), emptyOne,
                made.get(1), parent));
        assertThat(drill(b.id())).isEqualTo("failed");
        assertThat(h.api().get("/v1/backups/" + b.id()).path("drill").path("detail").asText()).startsWith("public.child: checksum c:");

        // the manifest as the SQL statistics made it before: the drill computes those, and compares them
        String sqlStats = h.client("fmtkinds", "SELECT count(*), 'h:' || coalesce(sum(hash_record_extended(t, 0::int8)), 0) FROM kinds t")
                .stdout().strip();
        var kinds = new io.stratum.core.backup.TableStat("public.kinds", Long.parseLong(sqlStats.split("\\|")[0]), sqlStats.split("\\|")[1]);
        rewriteManifestTables(b, dataKey, with(others, child, emptyOne, kinds, parent));
        assertThat(drill(b.id())).as("h: checksums from SQL").isEqualTo("passed");
        rewriteManifestTables(b, dataKey, with(others, child, emptyOne, new io.stratum.core.backup.TableStat("public.kinds", 3000, "h:12345"),
                parent));
        assertThat(drill(b.id())).isEqualTo("failed");
        assertThat(h.api().get("/v1/backups/" + b.id()).path("drill").path("detail").asText()).contains("public.kinds: checksum h:");
        String wrong = made.get(1).checksum().endsWith("0") ? made.get(1).checksum().replaceAll("0$", "1") : made.get(1).checksum().replaceAll(".$", "0");
        rewriteManifestTables(b, dataKey, with(others, child, emptyOne, new io.stratum.core.backup.TableStat("public.kinds", 3000, wrong), parent));
        assertThat(drill(b.id())).isEqualTo("failed");
        assertThat(h.api().get("/v1/backups/" + b.id()).path("drill").path("detail").asText())
                .contains("public.kinds: checksum " + made.get(1).checksum() + " restored, " + wrong + " in the backup");
        ok("db", "delete", "fmtkinds", "--confirm", "fmtkinds", "--skip-final-snapshot");
    }

    /**
     * MariaDB's manifest checksums are exact sums of each row's CRC-32C and CRC-32 ("crc:"); a backup whose manifest has
     * the older SHA-1 sums (no prefix) is drilled with those, and a wrong one of either kind fails its drill.
     */
    @Test
    void mariadbDrillsCheckEachTableAsItsManifestMadeIt() throws Exception {
        ok("backup", "create", "fmtmy");
        Backup b = h.server.services().backups().get(SystemActor.PRINCIPAL, latest("fmtmy"));
        byte[] dataKey = dataKey(b);
        var store = new io.stratum.backup.StoredArchives(h.root().resolve("backups"), null);
        List<io.stratum.core.backup.TableStat> made = store.readManifest("default", b.id(), dataKey, b.manifestSha256()).tables();
        assertThat(made).singleElement().satisfies(t -> assertThat(t.checksum()).startsWith("crc:"));
        assertThat(drill(b.id())).isEqualTo("passed");

        String sha1 = h.client("fmtmy", "SELECT COALESCE(SUM(CONV(LEFT(SHA1(CONCAT_WS('#', ISNULL(id), id, ISNULL(v), v)), 16), 16, 10)), 0) "
                + "FROM t").stdout().strip();
        rewriteManifestTables(b, dataKey, List.of(new io.stratum.core.backup.TableStat("t", 5000, sha1)));
        assertThat(drill(b.id())).as("a manifest written before: SHA-1 sums").isEqualTo("passed");
        rewriteManifestTables(b, dataKey, List.of(new io.stratum.core.backup.TableStat("t", 5000, "1.0e24")));
        assertThat(drill(b.id())).isEqualTo("failed");
        rewriteManifestTables(b, dataKey, List.of(new io.stratum.core.backup.TableStat("t", 5000, made.get(0).checksum() + "1")));
        assertThat(drill(b.id())).isEqualTo("failed");
        assertThat(h.api().get("/v1/backups/" + b.id()).path("drill").path("detail").asText()).contains("t: checksum crc:");
    }

    private static List<io.stratum.core.backup.TableStat> with(List<io.stratum.core.backup.TableStat> others,
                                                               io.stratum.core.backup.TableStat... tables) {
        List<io.stratum.core.backup.TableStat> all = new ArrayList<>(others);
        all.addAll(List.of(tables));
        return all;
    }

    /** Runs a drill of backup {@code id} now; its status. */
    private static String drill(String id) {
        h.cli("backup", "verify", id);
        return h.api().get("/v1/backups/" + id).path("drill").path("status").asText();
    }

    /** Rewrites backup {@code b}'s manifest with other table statistics (sealed under its own key, as Stratum writes one). */
    static void rewriteManifestTables(Backup b, byte[] dataKey, List<io.stratum.core.backup.TableStat> tables) throws Exception {
        var writer = new io.stratum.backup.StoredArchives(h.root().resolve("backups"), null);
        Backup now = h.server.services().backups().get(SystemActor.PRINCIPAL, b.id());
        var m = writer.readManifest("default", b.id(), dataKey, now.manifestSha256());
        String manifestSha = writer.writeManifest("default", b.id(), dataKey, new io.stratum.core.backup.BackupManifest(m.format(), m.backupId(),
                m.engine(), m.version(), m.instance(), m.stack(), m.stage(), m.database(), m.kind(), m.archiveSha256(), m.chunks(),
                m.dumpBytes(), m.storedBytes(), m.startedAt(), m.completedAt(), tables));
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + h.root().resolve("stratum.db"));
             var st = conn.prepareStatement("UPDATE backups SET manifest_sha256 = ? WHERE id = ?")) {
            st.setString(1, manifestSha);
            st.setString(2, b.id());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * Replaces backup {@code b}'s archive with {@code dump} written by the archive pipeline under the backup's own key
     * (authentic, as if Stratum had written it), and its manifest and recorded SHA-256 to match.
     */
    static void rewriteArchive(Backup b, byte[] dataKey, byte[] dump) throws Exception {
        String id = b.id();
        io.stratum.backup.StoredArchives writer = new io.stratum.backup.StoredArchives(h.root().resolve("backups"), null);
        var written = writer.write("default", id, dataKey, out -> {
            try {
                out.write(dump);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return List.of();
        }, io.stratum.core.port.BackupArchives.Progress.NONE);
        var m = writer.readManifest("default", id, dataKey, b.manifestSha256());
        String manifestSha = writer.writeManifest("default", id, dataKey, new io.stratum.core.backup.BackupManifest(m.format(), m.backupId(),
                m.engine(), m.version(), m.instance(), m.stack(), m.stage(), m.database(), m.kind(), written.sha256(), written.chunks(),
                written.dumpBytes(), written.storedBytes(), m.startedAt(), m.completedAt(), m.tables()));
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + h.root().resolve("stratum.db"));
             var st = conn.prepareStatement("UPDATE backups SET sha256 = ?, manifest_sha256 = ? WHERE id = ?")) {
            st.setString(1, written.sha256());
            st.setString(2, manifestSha);
            st.setString(3, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void anAuthenticArchiveWhoseTarWritesOutsideItsDirectoryIsRefusedBeforeAnythingLoads() throws Exception {
        ok("backup", "create", "fmtpg");
        String id = latest("fmtpg");
        Backup b = h.server.services().backups().get(SystemActor.PRINCIPAL, id);
        byte[] dataKey = dataKey(b);
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            for (String name : List.of("toc.dat", "../escaped.dat")) {
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
                byte[] content = "CREATE TABLE pwned();".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                e.setSize(content.length);
                out.putArchiveEntry(e);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        rewriteArchive(b, dataKey, tar.toByteArray());
        var r = h.cli("backup", "restore", id, "--to", "fmtpgevil");
        assertThat(r.exit()).as(r.out() + r.err()).isNotZero();
        assertThat(r.out() + r.err()).contains("not a file pg_dump writes");
        assertThat(h.root().resolve("instances/escaped.dat")).doesNotExist();
        assertThat(h.root().resolve("instances/fmtpgevil/restore.d")).as("nothing of the dump is left").doesNotExist();
        JsonNode made = h.api().get("/v1/instances/fmtpgevil");
        assertThat(made.path("status").asText()).as("the load never began: nothing was loaded into it").isEqualTo("failed");
        assertThat(h.client("fmtpgevil", "SELECT count(*) FROM pg_class WHERE relname = 'pwned'").stdout().strip()).isEqualTo("0");
    }

    /** Backup {@code b}'s data key, opened with this home's master key. */
    static byte[] dataKey(Backup b) {
        return new MasterKeyring(MasterKey.loadOrCreate(h.root().resolve("master.key"))).open(b.dataKey(), b.keyContext());
    }

    /** A backup's whole dump, decrypted and decompressed. */
    static byte[] dumpOf(String id) throws Exception {
        byte[] dataKey = dataKey(h.server.services().backups().get(SystemActor.PRINCIPAL, id));
        Path archive = h.root().resolve("backups").resolve(id).resolve("archive");
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(new ArchiveInputStream(Files.newInputStream(archive), dataKey, id, id))) {
            return in.readAllBytes();
        }
    }

    /** The entry names of a layout-2 dump, in order. */
    static List<String> tarNames(byte[] dump) throws Exception {
        List<String> names = new ArrayList<>();
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(dump));
        for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) names.add(e.getName());
        return names;
    }

    @Test
    void aDumpLeftBehindIsRemovedAsItsOwnerAndOneThatCannotBeMakesTheDumpStream() throws Exception {
        Path scratch = h.root().resolve("instances/fmtpg/backup.d");
        String owner = h.api().get("/v1/instances/fmtpg").path("osUser").asText();
        // what a backup cut short (or the engine's user) may leave: a link to a file only root reads
        Files.createDirectory(scratch);
        Files.createSymbolicLink(scratch.resolve("9999.dat"), Path.of("/etc/shadow"));
        Files.writeString(scratch.resolve("toc.dat"), "left behind");
        assertThat(new ProcessBuilder("chown", "-h", "-R", owner + ":" + owner, scratch.toString()).inheritIO().start().waitFor()).isZero();
        ok("backup", "create", "fmtpg");
        String id = latest("fmtpg");
        byte[] dump = dumpOf(id);
        assertThat(new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("left behind").doesNotContain("root:");
        List<String> names = tarNames(dump);
        assertThat(names).first().isEqualTo("toc.dat");
        assertThat(names).noneMatch(n -> n.equals("9999.dat"));
        assertThat(scratch).doesNotExist();

        // one its owner cannot remove (root's): no room for a directory dump, so it streams (layout 1) and still drills
        Files.createDirectory(scratch);
        Files.writeString(scratch.resolve("toc.dat"), "root's");
        try {
            ok("backup", "create", "fmtpg");
            String streamed = latest("fmtpg");
            assertThat(new String(dumpOf(streamed), 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("PGDMP");
            ok("backup", "verify", streamed);
            assertThat(h.api().get("/v1/backups/" + streamed).path("drill").path("status").asText()).isEqualTo("passed");
        } finally {
            Files.deleteIfExists(scratch.resolve("toc.dat"));
            Files.deleteIfExists(scratch);
        }
    }

    /** Replaces a format-2 object with the same content sealed in format 1, as a backup from before format 2 was stored. */
    static String rewriteAsFormat1(Path object, byte[] dataKey, String context, java.util.function.UnaryOperator<byte[]> edit)
            throws Exception {
        byte[] plain;
        try (InputStream in = new ArchiveInputStream(Files.newInputStream(object), dataKey, context, context)) {
            plain = edit.apply(in.readAllBytes());
        }
        byte[] old = BackupObjects.format1(dataKey, context, plain);
        assertThat(new String(old, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isNotEqualTo("SBK2");
        Files.write(object, old);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(old));
    }
}
