package io.stratum.engines.postgres;

import io.stratum.core.backup.TableStat;
import io.stratum.engines.SqlSession;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-table statistics of PostgreSQL backups and drills: the user tables of a snapshot, their rows and checksums
 * in SQL ("h:", "t:"), or from COPY text ("c:", {@link CopyRowChecksum}) with values printed the same way on both
 * sides ({@link #copyEnvironment}); which data file of a directory dump holds which table; and a drill's statistics,
 * each made as the manifest made it.
 */
final class PgTableStats {
    private PgTableStats() {}

    /**
     * Each table's data file in a directory dump, by the table's OID, from {@code pg_restore -l} (run as the dump's
     * owner): the numbers that start a {@code TABLE DATA} line (its dump ID, which names the file, and the table's
     * OID) come before any name, and pg_restore prints a line break in a name as a space. A table listed twice is left
     * out (it is then counted in SQL).
     */
    static Map<Long, String> tableDataFiles(ToolRunner asOwner, Path binDir, Path dir) {
        String toc = asOwner.engine(List.of(binDir.resolve("pg_restore").toString(), "-l", "--", dir.toString()), Map.of(), null,
                Duration.ofMinutes(30)).stdout();
        return tableDataFiles(toc);
    }

    /** Lines end at '\\n' only: a name may hold other line separators (U+2028), which pg_restore leaves as they are. */
    private static final java.util.regex.Pattern TABLE_DATA_LINE = java.util.regex.Pattern.compile("^(\\d{1,10}); \\d{1,10} (\\d{1,10}) TABLE DATA ",
            java.util.regex.Pattern.MULTILINE | java.util.regex.Pattern.UNIX_LINES);

    /** {@link #tableDataFiles(ToolRunner, Path, Path)}'s reading of pg_restore's list. */
    static Map<Long, String> tableDataFiles(String toc) {
        Map<Long, String> files = new java.util.HashMap<>();
        java.util.Set<Long> twice = new java.util.HashSet<>();
        java.util.regex.Matcher m = TABLE_DATA_LINE.matcher(toc);
        while (m.find()) {
            long oid = Long.parseLong(m.group(2));
            if (files.put(oid, m.group(1) + ".dat") != null) twice.add(oid);
        }
        twice.forEach(files::remove);
        return files;
    }

    /**
     * How values are printed, whatever the tenant set for the database: pg_dump sets the date, interval and float
     * formats itself, but takes the time zone and the bytea format from the session, and a drill's COPY must print
     * values exactly as the dump did. None of these changes what a restore loads (a timestamptz carries its offset).
     */
    static Map<String, String> copyEnvironment(PgDumps.Target t, String encoding) {
        Map<String, String> env = new java.util.HashMap<>(t.env());
        env.put("PGOPTIONS", (env.getOrDefault("PGOPTIONS", "") + " -c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres "
                + "-c extra_float_digits=3 -c bytea_output=hex -c lc_monetary=C -c quote_all_identifiers=off").strip());
        env.put("PGCLIENTENCODING", encoding);
        return env;
    }

    /** A column name as a quoted identifier (doubled quotes inside). */
    static String quoteIdentifier(String name) {
        if (name.indexOf('\0') >= 0) throw new ToolException("a column name holds a NUL character");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String databaseEncoding(SqlSession s) {
        String encoding = s.query("SELECT pg_catalog.pg_encoding_to_char(encoding) FROM pg_catalog.pg_database "
                + "WHERE datname = pg_catalog.current_database();").get(0);
        if (!encoding.matches("[A-Za-z0-9_]{1,32}")) throw new ToolException("unexpected database encoding '" + encoding + "'");
        return encoding;
    }

    /**
     * Each table's statistics as the database holds them now (a restored scratch instance, in a drill), each made the
     * way the backup's manifest made it ({@code expected}): from {@code COPY ... TO STDOUT} for "c:", else in SQL.
     */
    static List<TableStat> stats(PgDumps.Target t, List<TableStat> expected) {
        Map<String, TableStat> byCopy = new java.util.HashMap<>();
        java.util.Set<String> byText = new java.util.HashSet<>();
        for (TableStat e : expected) {
            if (e.checksum() != null && e.checksum().startsWith(CopyRowChecksum.KIND)) byCopy.put(e.table(), e);
            if (e.checksum() != null && e.checksum().startsWith("t:")) byText.add(e.table());
        }
        try (SqlSession s = PgDumps.session(t)) {
            s.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
            List<UserTable> tables = userTables(s);
            Map<String, TableStat> computed = new java.util.HashMap<>();
            // a backup's "t:" (an older server's, whose types had no hash functions) is made as text here too
            sqlStats(s, tables.stream().filter(u -> !byCopy.containsKey(u.name()))
                    .map(u -> byText.contains(u.name()) ? new UserTable(u.oid(), u.name(), false, u.byCopy(), null) : u).toList())
                    .forEach(st -> computed.put(st.table(), st));
            String encoding = byCopy.isEmpty() ? null : databaseEncoding(s);
            for (UserTable u : tables) {
                TableStat want = byCopy.get(u.name());
                if (want == null) continue;
                // the columns in the order the dump printed them, where the manifest says (an inheritance child)
                String columns = want.columns() == null ? "" : " (" + String.join(", ", want.columns().stream().map(PgTableStats::quoteIdentifier)
                        .toList()) + ")";
                CopyRowChecksum sum = new CopyRowChecksum();
                // the statement on stdin, as UTF-8 bytes whatever the control plane's locale (a name may hold any character)
                byte[] copy = ("COPY " + u.name() + columns + " TO STDOUT;\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                t.runner().stream(t.argv("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"), copyEnvironment(t, encoding),
                        new java.io.ByteArrayInputStream(copy), sum, PgDumps.TIMEOUT);
                computed.put(u.name(), new TableStat(u.name(), sum.rows(), sum.checksum(), want.columns()));
            }
            return tables.stream().map(u -> computed.get(u.name())).toList();
        }
    }

    /**
     * A user table: its OID, its quoted, qualified name, whether every column's type has a hash function, and whether
     * its rows may be counted from the dump's data file: not an extension's table (pg_dump may dump only some of its
     * rows, the ones the extension's own script did not insert); and, for an inheritance child, its columns in the order
     * COPY prints them (a restore puts inherited columns first), else null.
     */
    record UserTable(long oid, String name, boolean typeHashes, boolean byCopy, List<String> copyColumns) {}

    /** The user tables ({@code relkind r}, outside the system schemas) in the session's snapshot, by name. */
    static List<UserTable> userTables(SqlSession s) {
        // the quoted name travels hex-encoded: a tenant's table name may hold a line break, which would split psql's rows
        List<String> rows = s.query("SELECT pg_catalog.encode(pg_catalog.convert_to(pg_catalog.format('%I.%I', n.nspname, c.relname), "
                + "'UTF8'), 'hex'), "
                + "(pg_catalog.current_setting('server_version_num')::int "
                + ">= 140000 AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND NOT EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod WHERE am.amname = 'hash' AND "
                + "oc.opcdefault AND oc.opcintype = a.atttypid))), c.oid, "
                + "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'), "
                // an inheritance child's columns as COPY prints them (attnum order), each name hex-encoded
                + "CASE WHEN NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) THEN (SELECT "
                + "pg_catalog.string_agg(pg_catalog.encode(pg_catalog.convert_to(a.attname::text, 'UTF8'), 'hex'), ',' ORDER BY a.attnum) "
                + "FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') END "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' ORDER BY 1;");
        List<UserTable> out = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split(Psql.FIELD, -1);
            List<String> columns = f[4].isEmpty() ? null : java.util.Arrays.stream(f[4].split(",")).map(h -> new String(
                    java.util.HexFormat.of().parseHex(h), java.nio.charset.StandardCharsets.UTF_8)).toList();
            out.add(new UserTable(Long.parseLong(f[2]), new String(java.util.HexFormat.of().parseHex(f[0]), java.nio.charset.StandardCharsets.UTF_8),
                    f[1].equals("t"), f[3].equals("t"), columns));
        }
        return out;
    }

    /**
     * Rows and an order-independent checksum of each of {@code tables}, in the session's transaction: the sum of a 64-bit
     * hash of each row, by the column types' own hash functions ({@code hash_record_extended}, "h:") where every column
     * has one (PostgreSQL 14+), else of the row's text ("t:"). The prefix says which, so a drill compares like with like.
     */
    static List<TableStat> sqlStats(SqlSession s, List<UserTable> tables) {
        if (tables.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder();
        for (UserTable u : tables) {
            sql.append("SELECT pg_catalog.count(*), '").append(u.typeHashes() ? "h:" : "t:").append("' || coalesce(pg_catalog.sum(")
                    .append(u.typeHashes() ? "pg_catalog.hash_record_extended(t, 0::int8)" : "pg_catalog.hashtextextended(t::text, 0::int8)")
                    .append("), 0) FROM ")
                    .append(u.name()).append(" t;\n");
        }
        List<String> rows = s.query(sql.toString());
        if (rows.size() != tables.size()) throw new ToolException("table statistics: " + rows.size() + " answers for " + tables.size() + " tables");
        List<TableStat> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            String[] f = rows.get(i).split(Psql.FIELD, -1);
            out.add(new TableStat(tables.get(i).name(), Long.parseLong(f[0]), f[1]));
        }
        return out;
    }
}
