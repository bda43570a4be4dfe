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
    /**
     * Between the columns of a row in what psql prints (-A -F): the ASCII unit separator, which no name, setting or
     * number Stratum reads holds (a '|' may be in a setting's text or a tenant's table name).
     */
    static final String FIELD = "\u001f";
    /** psql's options for output Stratum parses: quiet, unaligned, rows only, columns split by {@link #FIELD}, stop at the first error. */
    static final List<String> MACHINE_OUTPUT = List.of("-X", "-q", "-A", "-t", "-F", FIELD, "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse");
    private final ToolRunner tools;

    Psql(ToolRunner tools) {
        this.tools = tools;
    }

    /** Runs {@code sql} as the admin in database {@code postgres}; returns unaligned, tuples-only output. */
    String admin(Path socketDir, int port, String sql) {
        List<String> argv = new java.util.ArrayList<>(List.of("psql"));
        argv.addAll(MACHINE_OUTPUT);
        argv.addAll(List.of("-h", socketDir.toString(), "-p", String.valueOf(port), "-U", ADMIN, "-d", "postgres", "-f", "-"));
        return tools.engine(argv, java.util.Map.of("PGCONNECT_TIMEOUT", "10", "PGOPTIONS", SAFE_SEARCH_PATH), sql, Duration.ofSeconds(60)).stdout();
    }
}
