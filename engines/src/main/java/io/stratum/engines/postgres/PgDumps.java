package io.stratum.engines.postgres;

import io.stratum.core.backup.TableStat;
import io.stratum.core.engine.InstanceContext;
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
 * Logical dumps of a PostgreSQL database and their per-table statistics. A dump exports a snapshot from a session kept
 * open for it; {@code pg_dump --snapshot} dumps exactly that snapshot while the same session counts and checksums each
 * table in it, so the manifest describes precisely what the dump holds. Connections go either to a managed instance's
 * socket as Stratum's admin or, for an external database, over TCP as its master user (password in the environment).
 */
final class PgDumps {
    static final Duration TIMEOUT = Duration.ofHours(12);

    /** How the tools reach the database. */
    record Target(Path binDir, List<String> connection, Map<String, String> env) {
        List<String> argv(String tool, String... args) {
            List<String> a = new ArrayList<>(List.of(binDir.resolve(tool).toString()));
            a.addAll(List.of(args));
            a.addAll(connection);
            return a;
        }
    }

    private PgDumps() {}

    static Target local(InstanceContext ctx, Path binDir) {
        return new Target(binDir, List.of("-h", ctx.runDir().toString(), "-p", String.valueOf(ctx.spec().port()), "-U", Psql.ADMIN, "-d",
                ctx.spec().database()), Map.of("PGCONNECT_TIMEOUT", "10"));
    }

    static Target external(InstanceContext ctx, Path binDir) {
        return new Target(binDir, List.of("-h", ctx.connectHost(), "-p", String.valueOf(ctx.spec().port()), "-U", ctx.spec().masterUser(),
                "-d", ctx.spec().database()), Map.of("PGPASSWORD", ctx.masterPassword(), "PGCONNECT_TIMEOUT", "10",
                "PGSSLMODE", ctx.tlsRequired() ? "require" : "prefer"));
    }

    /** pg_dump (custom format, uncompressed: the archive compresses) of one exported snapshot, with its table statistics. */
    static List<TableStat> dump(Target t, OutputStream out) {
        try (SqlSession s = session(t)) {
            String snapshot = s.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSELECT pg_export_snapshot();").get(0);
            CompletableFuture<List<TableStat>> stats = CompletableFuture.supplyAsync(() -> stats(s), ToolRunner.PUMPS);
            new ToolRunner(null).stream(t.argv("pg_dump", "-Fc", "-Z0", "--snapshot=" + snapshot), t.env(), null, out, TIMEOUT);
            return stats.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Each table's statistics as the database holds them now (a restored scratch instance, in a drill). */
    static List<TableStat> stats(Target t) {
        try (SqlSession s = session(t)) {
            s.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
            return stats(s);
        }
    }

    static void restore(Target t, String role, InputStream in) {
        new ToolRunner(null).stream(t.argv("pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                "--role=" + role), t.env(), in, null, TIMEOUT);
    }

    private static SqlSession session(Target t) {
        return new SqlSession(t.argv("psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse"), t.env());
    }

    /**
     * Rows and an order-independent checksum (the sum of a 64-bit hash of each row's text) of every user table, in the
     * session's transaction.
     */
    private static List<TableStat> stats(SqlSession s) {
        List<String> tables = s.query("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                + "c.relnamespace WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' ORDER BY 1;");
        if (tables.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            sql.append("SELECT count(*) || '|' || coalesce(sum(hashtextextended(t::text, 0)), 0) FROM ").append(table).append(" t;\n");
        }
        List<String> rows = s.query(sql.toString());
        if (rows.size() != tables.size()) throw new ToolException("table statistics: " + rows.size() + " answers for " + tables.size() + " tables");
        List<TableStat> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            String[] f = rows.get(i).split("\\|", 2);
            out.add(new TableStat(tables.get(i), Long.parseLong(f[0]), f[1]));
        }
        return out;
    }
}
