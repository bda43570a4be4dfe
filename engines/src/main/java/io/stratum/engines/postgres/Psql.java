package io.stratum.engines.postgres;

import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code psql} as Stratum's admin over the instance's own socket (peer auth, run as the OS user the runner names);
 * SQL always on stdin, never argv.
 */
final class Psql {
    static final String ADMIN = "stratum_admin";
    /** Startup option for superuser sessions: only the system catalog is searched (see PgDumps#local). */
    static final String SAFE_SEARCH_PATH = "-c search_path=pg_catalog,pg_temp";
    private final ToolRunner tools;

    Psql(ToolRunner tools) {
        this.tools = tools;
    }

    /** Runs {@code sql} as the admin in database {@code postgres}; returns unaligned, tuples-only output. */
    String admin(Path socketDir, int port, String sql) {
        return tools.engine(List.of("psql", "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse", "-h", socketDir.toString(),
                "-p", String.valueOf(port), "-U", ADMIN, "-d", "postgres", "-f", "-"), java.util.Map.of("PGCONNECT_TIMEOUT", "10", "PGOPTIONS", SAFE_SEARCH_PATH), sql, Duration.ofSeconds(60)).stdout();
    }
}
