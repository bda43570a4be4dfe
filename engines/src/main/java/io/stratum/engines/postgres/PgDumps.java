package io.stratum.engines.postgres;

import io.stratum.core.backup.TableStat;
import io.stratum.core.engine.InstanceContext;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.SqlSession;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Logical dumps of a PostgreSQL database and their per-table statistics ({@link PgTableStats}). A dump exports a
 * snapshot from a session kept open for it and {@code pg_dump --snapshot} dumps exactly that snapshot; the manifest's
 * statistics describe precisely what the dump holds: counted from the dump's own table data as it is packed (layout
 * 2), or by the same session in the same snapshot (layout 1, and tables whose rows the dump leaves to an extension). Connections go either to a managed instance's
 * socket as Stratum's admin or, for an external database, over TCP as its master user (password in the environment).
 */
final class PgDumps {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PgDumps.class);
    static final Duration TIMEOUT = Duration.ofHours(12);

    /** How the tools reach the database, and the OS user they run as. */
    record Target(Path binDir, List<String> connection, Map<String, String> env, ToolRunner runner) {
        List<String> argv(String tool, String... args) {
            List<String> a = new ArrayList<>(List.of(binDir.resolve(tool).toString()));
            a.addAll(List.of(args));
            a.addAll(connection);
            return runner.asEngineUser(a);
        }
    }

    private PgDumps() {}

    /**
     * A managed instance: its socket, as Stratum's admin, run as the one OS user mapped to that role. The search path is
     * the system catalog only, whatever the tenant set for its database or role: no function or operator a tenant
     * defines can stand in for a built-in one in a superuser's session.
     */
    static Target local(InstanceContext ctx, Path binDir) {
        return new Target(binDir, List.of("-d", Conninfo.of(Map.of("host", ctx.runDir().toString(), "port", String.valueOf(ctx.spec().port()),
                "user", Psql.ADMIN, "dbname", ctx.spec().database()))), Map.of("PGCONNECT_TIMEOUT", "10", "PGOPTIONS", Psql.SAFE_SEARCH_PATH),
                new ToolRunner(ctx.users().admin()));
    }

    /**
     * A managed instance's socket as its master user (password in the environment): restores load the tenant's own dump
     * with the tenant's own rights, so nothing in it (a function called while rows load, say) runs as a superuser.
     */
    static Target asMaster(InstanceContext ctx, Path binDir) {
        return new Target(binDir, List.of("-d", Conninfo.of(Map.of("host", ctx.runDir().toString(), "port", String.valueOf(ctx.spec().port()),
                "user", ctx.spec().masterUser(), "dbname", ctx.spec().database()))), Map.of("PGCONNECT_TIMEOUT", "10", "PGPASSWORD",
                ctx.masterPassword(), "PGOPTIONS", Psql.SAFE_SEARCH_PATH), new ToolRunner(ctx.users().admin()));
    }

    /**
     * An external database as its master user. Host, user and database go in one conninfo string built from quoted
     * values, so none of them can be read as another keyword or a URI (a database named {@code host=/some/socket} stays
     * a database name); the password in the environment.
     */
    static Target external(InstanceContext ctx, Path binDir) {
        Map<String, String> conn = new java.util.TreeMap<>(Map.of("host", ctx.connectHost(), "port", String.valueOf(ctx.spec().port()),
                "user", ctx.spec().masterUser(), "dbname", ctx.spec().database()));
        // a host name is resolved and checked here and libpq connects to that address (host stays for verify-full)
        String address = io.stratum.core.external.ExternalTargets.pinnedAddress(ctx.connectHost());
        if (address != null) conn.put("hostaddr", address);
        return new Target(binDir, List.of("-d", Conninfo.of(conn)), externalEnvironment(ctx), new ToolRunner(null));
    }

    /**
     * The password, and TLS as registered: verify-full against the external's CA (or the system's CAs), encrypted only
     * (no root certificate named, or libpq would verify anyway), or preferred.
     */
    private static Map<String, String> externalEnvironment(InstanceContext ctx) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PGPASSWORD", ctx.masterPassword(), "PGCONNECT_TIMEOUT", "10",
                "PGSSLMODE", ctx.tlsVerified() ? "verify-full" : ctx.tlsOn() ? "require" : "prefer"));
        if (ctx.tlsVerified()) env.put("PGSSLROOTCERT", java.nio.file.Files.exists(ctx.tlsCa()) ? ctx.tlsCa().toString() : SYSTEM_CAS);
        else env.put("PGSSLROOTCERT", "/nonexistent");
        return env;
    }

    /** Debian's bundle of the system's trusted CAs (libpq 15 has no sslrootcert=system). */
    static final String SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

    /**
     * pg_dump (custom format, uncompressed: the archive compresses) of one exported snapshot, with its table statistics:
     * dump layout 1, a single stream, for databases Stratum does not run (one connection to the provider).
     */
    static List<TableStat> dump(Target t, OutputStream out) {
        return inSnapshot(t, snapshot -> t.runner().stream(t.argv("pg_dump", "-Fc", "-Z0", "--snapshot=" + snapshot), t.env(), null, out,
                TIMEOUT));
    }

    /**
     * Dump layout 2: {@code pg_dump -Fd} with parallel jobs (each table's data dumped by a worker of its own, all in the
     * one exported snapshot) into {@code scratch} (created for {@code owner}, pg_dump's OS user), then packed into
     * {@code out} as one tar stream ({@link DumpDirectory}) and removed (so pg_dump does not flush it to disk,
     * {@code --no-sync}: the archive is what is kept, and the store flushes that). A restore loads it in parallel too. Layout 1
     * (one stream, no scratch copy) is taken instead when the disk lacks room for a copy as large as the data
     * ({@code dataBytes}) with {@link EngineFiles#leavesHeadroom}'s margin, and when the parallel dump fails before anything
     * was packed: a lock its workers could not take at once, connections a tenant used up, the disk running low (it
     * is watched while pg_dump writes, and pg_dump stopped).
     */
    static List<TableStat> dumpPreferringDirectory(Target t, Path scratch, String owner, long dataBytes, OutputStream out) {
        ToolRunner asOwner = new ToolRunner(owner);
        DumpDirectory.remove(asOwner, scratch); // what a backup cut short by a crash left
        String noRoom = lowDisk(scratch.getParent(), dataBytes);
        if (noRoom != null) {
            log.info("{}: {}; the dump streams instead (layout 1)", scratch.getParent().getFileName(), noRoom);
            return dump(t, out);
        }
        List<TableStat> stats = dumpDirectory(t, scratch, owner, out);
        return stats != null ? stats : dump(t, out);
    }

    /**
     * Layout 2's dump, packing and statistics, or null when the parallel dump failed before anything was packed. The
     * statistics of the tables in the dump are taken from their data files as they are packed ({@link CopyRowChecksum},
     * "c:"; pg_dump prints values as {@link PgTableStats#copyEnvironment} says, and a drill's COPY prints them the same way). A
     * table counted so must be one a drill's plain {@code COPY t TO STDOUT} prints as pg_dump did
     * ({@link PgTableStats.UserTable#byCopy});
     * the others (an extension's tables, which pg_dump may dump filtered) are counted in SQL in the dump's snapshot,
     * before the session holding it is closed: it does not hold back vacuum while the archive is packed and stored.
     */
    private static List<TableStat> dumpDirectory(Target t, Path scratch, String owner, OutputStream out) {
        ToolRunner asOwner = new ToolRunner(owner);
        List<PgTableStats.UserTable> tables;
        Map<Long, String> dataFiles;
        Map<String, TableStat> stats = new java.util.HashMap<>();
        try (SqlSession s = session(t)) {
            String snapshot = exportSnapshot(s);
            tables = PgTableStats.userTables(s);
            try {
                DumpDirectory.createEmpty(scratch, owner);
                t.runner().stream(t.argv("pg_dump", "-Fd", "-j", String.valueOf(jobs()), "-Z0", "--no-sync", "--snapshot=" + snapshot, "-f",
                        scratch.toString()), PgTableStats.copyEnvironment(t, PgTableStats.databaseEncoding(s)), null, null, TIMEOUT,
                        () -> lowDisk(scratch, 0));
                dataFiles = PgTableStats.tableDataFiles(asOwner, t.binDir(), scratch);
            } catch (ToolException | java.io.UncheckedIOException e) {
                DumpDirectory.remove(asOwner, scratch);
                log.warn("{}: the parallel dump failed ({}); the dump streams instead (layout 1)", scratch.getParent().getFileName(),
                        e.getMessage());
                return null;
            }
            List<PgTableStats.UserTable> inSql = tables.stream().filter(u -> !u.byCopy() || !dataFiles.containsKey(u.oid())).toList();
            PgTableStats.sqlStats(s, inSql).forEach(st -> stats.put(st.table(), st));
        } catch (RuntimeException e) {
            DumpDirectory.remove(asOwner, scratch);
            throw e;
        }
        try {
            Map<String, CopyRowChecksum> sums = DumpDirectory.pack(asOwner, scratch, out, TIMEOUT);
            for (PgTableStats.UserTable u : tables) {
                if (stats.containsKey(u.name())) continue;
                CopyRowChecksum sum = sums.get(dataFiles.get(u.oid()));
                if (sum == null) throw new ToolException("the dump has no data file for " + u.name() + ", which pg_restore lists");
                stats.put(u.name(), new TableStat(u.name(), sum.rows(), sum.checksum(), u.copyColumns()));
            }
            return tables.stream().map(u -> stats.get(u.name())).toList();
        } finally {
            DumpDirectory.remove(asOwner, scratch);
        }
    }

    /**
     * Why {@code bytes} more may not be written next to {@code dir} ({@link EngineFiles#leavesHeadroom}: a backup never
     * fills the disk its instance writes to; without room the dump streams, layout 1, no scratch copy), or null.
     */
    private static String lowDisk(Path dir, long bytes) {
        try {
            java.nio.file.FileStore fs = java.nio.file.Files.getFileStore(dir);
            return EngineFiles.leavesHeadroom(bytes, fs.getUsableSpace(), fs.getTotalSpace()) ? null
                    : "the disk has " + (fs.getUsableSpace() >> 20) + " MiB free of " + (fs.getTotalSpace() >> 20) + " MiB, too little for "
                    + (bytes >> 20) + " MiB more with 1 GiB and a tenth of it kept free";
        } catch (java.io.IOException e) {
            return "its free space cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Parallel jobs of a dump or a restore: one per core, at least 2, at most 4. */
    private static int jobs() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Runs {@code dumper} with a snapshot exported from a session kept open for it, while that session counts and
     * checksums each table in the same snapshot; returns the statistics.
     */
    private static List<TableStat> inSnapshot(Target t, java.util.function.Consumer<String> dumper) {
        try (SqlSession s = session(t)) {
            String snapshot = exportSnapshot(s);
            CompletableFuture<List<TableStat>> stats = CompletableFuture.supplyAsync(() -> PgTableStats.sqlStats(s, PgTableStats.userTables(s)),
                    ToolRunner.PUMPS);
            dumper.accept(snapshot);
            return stats.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static String exportSnapshot(SqlSession s) {
        return s.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSELECT pg_catalog.pg_export_snapshot();").get(0);
    }

    /**
     * Stages a dump for {@link #loadStaged}: pg_restore loads in parallel ({@code -j}) only from files it can seek in,
     * so the dump (authenticated segment by segment, its SHA-256 compared when its end is read) is unpacked completely
     * into the instance's root-owned directory, readable by {@code reader} (pg_restore's OS user) only. Layout 2 (a
     * directory in tar) goes to {@code restore.d}, whose tables load side by side; layout 1 (one {@code pg_dump -Fc}
     * stream, from older backups and external databases) to the file {@code restore.dump}.
     */
    static void stage(InputStream in, Path instanceDir, String reader) {
        long started = System.nanoTime();
        discardStaged(instanceDir);
        try {
            java.io.PushbackInputStream dump = new java.io.PushbackInputStream(in, DumpDirectory.headBytes());
            byte[] head = dump.readNBytes(DumpDirectory.headBytes());
            dump.unread(head);
            if (DumpDirectory.isCustomFormat(head)) EngineFiles.writeOwned(instanceDir.resolve(STAGED_FILE), dump, reader);
            else DumpDirectory.unpack(dump, instanceDir.resolve(STAGED_DIRECTORY), reader);
        } catch (java.io.IOException | RuntimeException e) {
            // a damaged archive (IntegrityException) stays what it is; nothing of it is left behind either way
            discardStaged(instanceDir);
            if (e instanceof RuntimeException r && !(r instanceof java.io.UncheckedIOException)) throw r;
            throw new ToolException("cannot stage the dump for pg_restore: " + e.getMessage());
        }
        log.info("{}: dump unpacked and checked in {} ms", instanceDir.getFileName(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Loads what {@link #stage} unpacked ({@code pg_restore -j}, one job per core, 2 to 4), then removes it. */
    static void loadStaged(Target t, Path instanceDir) {
        Path staged = java.nio.file.Files.isDirectory(instanceDir.resolve(STAGED_DIRECTORY), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? instanceDir.resolve(STAGED_DIRECTORY) : instanceDir.resolve(STAGED_FILE);
        if (!java.nio.file.Files.exists(staged, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("no dump is staged in " + instanceDir + " (stage it again: retry the restore)");
        }
        try {
            long started = System.nanoTime();
            List<String> argv = t.argv("pg_restore", "--exit-on-error", "-j", String.valueOf(jobs()), "--no-owner", "--no-privileges");
            argv.add(staged.toString());
            t.runner().stream(argv, t.env(), null, null, TIMEOUT);
            log.info("{}: loaded by pg_restore -j {} in {} ms", instanceDir.getFileName(), jobs(), (System.nanoTime() - started) / 1_000_000);
        } finally {
            removeQuietly(staged);
        }
    }

    /** Removes a staged dump of either layout. */
    static void discardStaged(Path instanceDir) {
        removeQuietly(instanceDir.resolve(STAGED_DIRECTORY));
        removeQuietly(instanceDir.resolve(STAGED_FILE));
    }

    static final String STAGED_DIRECTORY = "restore.d";
    static final String STAGED_FILE = "restore.dump";

    /** Removes a restore's staged dump (Stratum's own directory and files); a failure here never hides the restore's. */
    private static void removeQuietly(Path staged) {
        try {
            EngineFiles.deleteTree(staged);
        } catch (RuntimeException e) {
            log.warn("cannot remove {}: {}", staged, e.getMessage());
        }
    }

    static SqlSession session(Target t) {
        SqlSession s = new SqlSession(t.argv("psql", Psql.MACHINE_OUTPUT.toArray(String[]::new)), t.env());
        s.query("SET search_path = pg_catalog, pg_temp;");
        // a table the tenant swaps for a view (or a foreign table) between listing and counting must not run its functions
        // with Stratum's admin rights (CVE-2024-7348): where the server has the setting, counting one fails instead
        s.query("SELECT pg_catalog.set_config(name, 'view, foreign-table', false) FROM pg_catalog.pg_settings "
                + "WHERE name = 'restrict_nonsystem_relation_kind';");
        // a tenant's database-wide timeouts must not end the session holding the dump's snapshot while it waits
        s.query("SELECT pg_catalog.set_config(name, '0', false) FROM pg_catalog.pg_settings WHERE name IN ('statement_timeout', "
                + "'idle_in_transaction_session_timeout', 'transaction_timeout', 'lock_timeout');");
        return s;
    }
}
