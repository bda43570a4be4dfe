package io.stratum.core.backup;

import java.util.List;

/**
 * One table's content in a backup, for restore drills: its rows and an order-independent checksum of their values
 * (for Redis: a database's key count, with no checksum). {@code columns}, where set, is the order in which the dump
 * printed the table's columns, for a checksum made from that text when a restore may order them otherwise (a
 * PostgreSQL inheritance child whose parent gained columns after it was created): the drill prints them in that order.
 */
public record TableStat(String table, long rows, String checksum, List<String> columns) {
    public TableStat {
        columns = columns == null ? null : List.copyOf(columns);
    }

    public TableStat(String table, long rows, String checksum) {
        this(table, rows, checksum, null);
    }
}
