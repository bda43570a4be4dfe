package io.stratum.core.engine;

import java.util.Locale;

/** What an engine can do, as services ask it (never by the engine's name). */
public enum Capability {
    /** Logical backups of managed instances, restores and restore drills. */
    BACKUP,
    /**
     * Restores unpack the whole dump next to the instance before loading any of it ({@code stageDump}, then
     * {@code restoreStaged}), so the unpacking can run while a new instance is still being prepared.
     */
    STAGED_RESTORE,
    /**
     * A new instance that a restore loads runs with settings for a bulk load until the load ends ({@code beginBulkLoad},
     * {@code endBulkLoad}): PostgreSQL skips the WAL of the tables pg_restore creates and fills, and flushes them at
     * commit instead.
     */
    BULK_LOAD,
    /** Backups of an external database of this engine, dumped through its tunnel. */
    EXTERNAL_BACKUP,
    /** TLS (verified or encrypt-only) to an external database of this engine. */
    EXTERNAL_TLS,
    /** Dynamic settings applied without a restart. */
    LIVE_PARAMS,
    /** Writes refused on demand (storage full). */
    READ_ONLY,
    /** New instances copied from a per-version template instead of a fresh init. */
    TEMPLATE_CLONE,
    /** Managed database users ({@code db user create}). */
    MANAGED_USERS,
    /** TLS for clients ({@code --tls prefer|require}). */
    TLS,
    /** Read replicas seeded from a primary and following it, promotable ({@code db replica create}, {@code db promote}). */
    REPLICAS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
