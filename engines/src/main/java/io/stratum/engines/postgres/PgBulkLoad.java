package io.stratum.engines.postgres;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.engines.EngineFiles;
import java.util.Set;

/**
 * PostgreSQL's bulk-load mode for a new instance that a restore fills: {@code wal_level = minimal} (which needs no WAL
 * senders and no archiving). pg_restore -j empties each table it created right before its COPY, in the same
 * transaction, so with minimal WAL the rows are not written to the WAL; the table's files are flushed at commit instead.
 * Index builds skip the WAL too. The settings live in a file of their own that postgresql.conf includes last (so they
 * win); writing the instance's config removes the file, so no later start keeps them by accident.
 */
final class PgBulkLoad {
    static final String FILE = "bulk-load.conf";
    private static final String SETTINGS = "# Written by Stratum while a restore loads this new instance; removed before it is used.\n"
            + "wal_level = 'minimal'\nmax_wal_senders = 0\narchive_mode = 'off'\n";

    private PgBulkLoad() {}

    /** The last line of postgresql.conf. */
    static String includeLine() {
        return "include_if_exists = '" + FILE + "'   # only while a restore loads a new instance\n";
    }

    static void removeSettings(InstanceContext ctx) {
        EngineFiles.deleteTree(ctx.confDir().resolve(FILE));
    }

    /**
     * In force from the engine's next start; a running engine (a create resumed after its start) restarts unless they
     * are. Not for PostgreSQL before 13, whose WAL skipping had known bugs (and which Debian 12 does not ship).
     */
    static void begin(PostgresProvider engine, InstanceContext ctx) {
        if (!supported(ctx.spec().version())) return;
        EngineFiles.writeOwned(ctx.confDir().resolve(FILE), SETTINGS, ctx.engineUser());
        if (engine.observe(ctx) == ProcessState.RUNNING && !minimalNow(engine, ctx)) restart(engine, ctx);
    }

    /**
     * Back to the instance's own settings: the file removed, and an engine running with minimal WAL restarted (its
     * shutdown checkpoint leaves everything loaded on disk). Asks the engine rather than the file, so a crash after the
     * removal and before the restart is finished when this runs again. A stopped engine stays stopped.
     */
    static void end(PostgresProvider engine, InstanceContext ctx) {
        removeSettings(ctx);
        if (engine.observe(ctx) == ProcessState.RUNNING && minimalNow(engine, ctx)) restart(engine, ctx);
    }

    static boolean supported(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]) >= 13;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean minimalNow(PostgresProvider engine, InstanceContext ctx) {
        return "minimal".equals(engine.readLive(ctx, Set.of("wal_level")).get("wal_level"));
    }

    private static void restart(PostgresProvider engine, InstanceContext ctx) {
        engine.stop(ctx);
        engine.start(ctx);
    }
}
