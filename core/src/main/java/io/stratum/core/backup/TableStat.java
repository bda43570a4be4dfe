package io.stratum.core.backup;

/**
 * One table's content in a backup, for restore drills: its rows and an order-independent checksum of their values
 * (for Redis: a database's key count, with no checksum).
 */
public record TableStat(String table, long rows, String checksum) {}
