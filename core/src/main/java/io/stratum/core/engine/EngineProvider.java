package io.stratum.core.engine;

import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParameterCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One database engine (registered with {@link java.util.ServiceLoader}). Pure parts (catalog, rendering) are plain
 * functions; the lifecycle methods act on one instance through its {@link InstanceContext} and must be idempotent:
 * running a step again after a crash of the control plane finishes the work or finds it done.
 */
public interface EngineProvider {
    /** {@code postgres}, {@code mariadb}, {@code redis}. */
    String name();

    /** Other names accepted on create (e.g. {@code mysql} for MariaDB), each with what it means. */
    Map<String, String> aliases();

    /** Versions installed on this host, newest first; empty when the engine is not installed. */
    List<String> versions();

    int defaultPort();

    /** What services may ask of this engine (backups, external backups, ...). */
    java.util.Set<Capability> capabilities();

    /** Its block in a stage's connection contract (variable names, URL scheme, what TLS adds to the URL). */
    ContractBlock contract();

    /** Its command-line client ({@code db connect}, the bastion's hints). */
    ClientCommand client();

    /** The database a new instance gets when none is asked for ({@code app}; Redis: {@code 0}). */
    default String defaultDatabase() {
        return "app";
    }

    /** Why {@code database} cannot be an instance's database (SQL engines: its form, or a system name), or empty when it can. */
    default java.util.Optional<String> databaseProblem(String database) {
        return SqlDatabaseNames.problem(database);
    }

    /**
     * The database an external instance registered without one is reached at (PostgreSQL: {@code postgres}), or empty
     * when the engine has none to offer (the registration must then name it).
     */
    java.util.Optional<String> externalDefaultDatabase();

    /** What this engine offers, for people (e.g. {@code template-clone}, {@code read-only}, {@code live-params}). */
    List<String> features();

    ParameterCatalog parameters();

    /** The settings the instance's class and parameters render to, in the engine's own names (pure). */
    Map<String, String> settings(InstanceSpec spec);

    /** Prepares the data directory: a copy of a per-version template when possible, else a fresh init. */
    void prepareData(InstanceContext ctx);

    /** Writes the engine's configuration for {@link #settings}. */
    void writeConfig(InstanceContext ctx);

    /** Starts the engine detached from the control plane and waits until it answers on its admin socket. */
    void start(InstanceContext ctx);

    /** Stops the engine cleanly; no-op when it is not running. */
    void stop(InstanceContext ctx);

    ProcessState observe(InstanceContext ctx);

    /**
     * Sets the master user (password stored hashed by the engine), the database, Stratum's admin access, the limits on
     * every tenant role, and the managed users of {@link InstanceContext#managedUsers()} with their access.
     */
    void bootstrap(InstanceContext ctx);

    /**
     * Makes the running engine's managed users exactly {@link InstanceContext#managedUsers()}: each exists with its
     * password's hash and its access (PostgreSQL roles, grants and pg_hba lines; MariaDB accounts per admitted network;
     * Redis ACL users); idempotent. A user no longer listed is removed with {@link #dropUser}.
     */
    void applyUsers(InstanceContext ctx);

    /** Removes managed user {@code name} from the running engine (its sessions ended, what it owned handed to the master user). */
    void dropUser(InstanceContext ctx, String name);

    /** True when a managed user has a database of its own (SQL engines); false where it does not (Redis). */
    default boolean usersHaveDatabases() {
        return true;
    }

    /** True when a managed user's keys can be limited by a pattern (Redis). */
    default boolean usersHaveKeyPatterns() {
        return false;
    }

    /** Opens an authenticated connection with the master credentials over TCP; throws when it cannot. */
    void verifyConnection(InstanceContext ctx);

    /** Applies dynamic settings to the running engine (reload or SET) without a restart. */
    void applyLive(InstanceContext ctx, Set<String> changedNames);

    /** Reads current values from the running engine (SHOW, SELECT @@, CONFIG GET), by engine setting name. */
    Map<String, String> readLive(InstanceContext ctx, Set<String> names);

    /**
     * Makes the running engine admit exactly {@link InstanceContext#ingress()} without a restart (PostgreSQL: pg_hba.conf
     * and a reload; MariaDB: one master account per network); idempotent. Engines without per-address rules do nothing.
     */
    void applyIngress(InstanceContext ctx);

    /** The engine layer's access rules as the running engine reports them, one readable line each. */
    List<String> observeIngress(InstanceContext ctx);

    /**
     * Streams a consistent logical dump of the instance's database to {@code out} (e.g. pg_dump -Fc, mariadb-dump) and
     * returns each table's rows and checksum taken in the dump's own snapshot (for restore drills).
     */
    List<io.stratum.core.backup.TableStat> dump(InstanceContext ctx, java.io.OutputStream out);

    /**
     * Each table's rows and checksum now (on a restored scratch instance), each computed the way the backup's manifest
     * computed it ({@code expected}, told by its checksum's {@code kind:} prefix), so that a drill compares like with like.
     */
    List<io.stratum.core.backup.TableStat> tableStats(InstanceContext ctx, List<io.stratum.core.backup.TableStat> expected);

    /**
     * Like {@link #dump}, for a database Stratum does not run, reached at {@code ctx.connectHost()} and the spec's port
     * (its tunnel) as the master user with {@code ctx.masterPassword()}.
     */
    default List<io.stratum.core.backup.TableStat> dumpExternal(InstanceContext ctx, java.io.OutputStream out) {
        throw new UnsupportedOperationException("backups of external " + ctx.spec().engine() + " databases are not available yet");
    }

    /**
     * Replaces the instance's database with an empty one owned by the master user, before a restore loads a backup
     * into it. Engines whose restore replaces everything anyway do nothing.
     */
    default void emptyDatabase(InstanceContext ctx) {}

    /**
     * {@link Capability#BULK_LOAD}: makes the engine run with its bulk-load settings from its next start, restarting it
     * when it runs; {@link #writeConfig} drops them again, so no later start keeps them by accident. Idempotent.
     */
    default void beginBulkLoad(InstanceContext ctx) {}

    /**
     * Ends {@link #beginBulkLoad}: the settings are dropped and a running engine is restarted with its own (everything
     * loaded is on disk once it has stopped); a stopped engine stays stopped (the plan starts it next). Idempotent; also
     * what a failed restore does, so that no failed instance runs on with them.
     */
    default void endBulkLoad(InstanceContext ctx) {}

    /** Loads a dump made by {@link #dump} into the running instance's database; objects belong to the master user. */
    void restore(InstanceContext ctx, java.io.InputStream in);

    /**
     * {@link Capability#STAGED_RESTORE}: unpacks a dump completely (read to its end, so the archive's whole check has
     * run) next to the instance, whose directories exist; the engine need not run yet. {@link #restoreStaged} loads it.
     */
    default void stageDump(InstanceContext ctx, java.io.InputStream in) {
        throw new UnsupportedOperationException(ctx.spec().engine() + " does not stage dumps");
    }

    /** Removes what {@link #stageDump} unpacked, when its restore does not go on; nothing staged, nothing done. */
    default void discardStaged(InstanceContext ctx) {}

    /** Loads what {@link #stageDump} unpacked into the running instance's database, then removes it. */
    default void restoreStaged(InstanceContext ctx) {
        throw new UnsupportedOperationException(ctx.spec().engine() + " does not stage dumps");
    }

    /**
     * {@link Capability#REPLICAS}: why {@code replica} cannot follow {@code source} as asked (e.g. settings a standby needs
     * at least as high as its primary's), or empty when it can. Pure.
     */
    default java.util.Optional<String> replicaProblem(InstanceSpec source, InstanceSpec replica) {
        return java.util.Optional.of(source.engine() + " has no read replicas yet");
    }

    /**
     * Prepares the running {@code source} for the replica of {@code link}: the replication login with the link's password,
     * access for it, and whatever keeps what the replica still needs (PostgreSQL: a slot). Idempotent.
     */
    default void prepareReplicationSource(InstanceContext source, ReplicationLink link) {
        throw new UnsupportedOperationException(source.spec().engine() + " has no read replicas");
    }

    /**
     * Fills the replica's empty data directory (its engine stopped) with a consistent copy of its source reached through
     * {@code replica.replication()}, ready to start following it. Idempotent: a complete copy is kept, a partial one redone.
     */
    default void seedReplica(InstanceContext replica) {
        throw new UnsupportedOperationException(replica.spec().engine() + " has no read replicas");
    }

    /**
     * True when a replica gets its source's users through replication itself (PostgreSQL's catalog); false when Stratum
     * sets them on each replica (Redis: ACLs are not replicated), e.g. after the source's master password is rotated.
     */
    default boolean replicasCarryUsers() {
        return true;
    }

    /** Drops what the running {@code source} keeps for replica {@code replica} (PostgreSQL: its slot); idempotent. */
    default void dropReplicaSlot(InstanceContext source, String replica) {}

    /** Drops what the running {@code source} keeps for replicas other than {@code replicas} (left by a skipped drop). */
    default void keepReplicaSlots(InstanceContext source, java.util.Set<String> replicas) {}

    /** Makes the running replica a standalone, writable instance that follows nothing; idempotent. */
    default void promote(InstanceContext replica) {
        throw new UnsupportedOperationException(replica.spec().engine() + " has no read replicas");
    }

    /** How far the replica of {@code replica.replication()} is behind its running {@code source}. */
    default ReplicationState replicationState(InstanceContext source, InstanceContext replica) {
        return ReplicationState.unknown(source.spec().engine() + " has no read replicas");
    }

    /** Makes the running engine pick up a renewed certificate without a restart. */
    void reloadTls(InstanceContext ctx);

    /** Makes the engine refuse writes (storage full) or accept them again. */
    void setReadOnly(InstanceContext ctx, boolean readOnly);

    /** The engine's process id, when running. */
    long pid(InstanceContext ctx);

    /** Last lines of the engine's log, for error reports. */
    List<String> logTail(InstanceContext ctx, int lines);

    /** Keeps the engine's logs under {@code maxBytes} each while it runs (the excess goes to one previous file). */
    void rotateLogs(InstanceContext ctx, long maxBytes);
}
