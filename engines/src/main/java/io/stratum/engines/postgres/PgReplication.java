package io.stratum.engines.postgres;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ReplicationLink;
import io.stratum.core.engine.ReplicationState;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL physical streaming replication: a slot per replica on the source (its WAL kept for the replica, bounded by
 * {@code max_slot_wal_keep_size}), the replica seeded by {@code pg_basebackup} through that slot, then a hot standby
 * whose {@code primary_conninfo} names the replication login and a password file (never the password itself).
 */
final class PgReplication {
    /** The replica's password file for the replication login, in its config directory (0600, its engine user's). */
    static final String PASSFILE = "replication.pgpass";
    /** How often a standby reports its positions (the source's view of lag is this fresh). */
    static final String STATUS_INTERVAL = "1s";

    private PgReplication() {}

    /** The source's slot for {@code replica}: instance names are [a-z][a-z0-9-]*, so '-' to '_' keeps them apart; long names hashed. */
    static String slotName(String replica) {
        String slot = "stratum_" + replica.replace('-', '_');
        if (slot.length() <= 63) return slot;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(replica.getBytes(StandardCharsets.UTF_8));
            return slot.substring(0, 50) + "_" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A standby needs max_connections at least its primary's (it refuses to start, or pauses replay, otherwise). */
    static Optional<String> problem(InstanceSpec source, InstanceSpec replica) {
        int sourceConnections = Integer.parseInt(PostgresSettings.render(source).get("max_connections"));
        int replicaConnections = Integer.parseInt(PostgresSettings.render(replica).get("max_connections"));
        if (replicaConnections >= sourceConnections) return Optional.empty();
        return Optional.of("class " + replica.instanceClass().wireName() + " gives max_connections " + replicaConnections + ", below the "
                + "source's " + sourceConnections + " (" + source.name() + "); a PostgreSQL standby needs at least its primary's: choose "
                + "class " + source.instanceClass().wireName() + " or larger");
    }

    /** The replication role (password hashed by Stratum) and the replica's slot, made if missing, on the running source. */
    static String prepareSql(ReplicationLink link) {
        String role = PostgresProvider.ident(ReplicationLink.USER);
        String slot = PostgresProvider.literal(slotName(link.replica()));
        return "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + PostgresProvider.literal(ReplicationLink.USER)
                + ") THEN CREATE ROLE " + role + " LOGIN REPLICATION; END IF; END $$;\n"
                + "ALTER ROLE " + role + " LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS CONNECTION LIMIT 32 PASSWORD "
                + PostgresProvider.literal(ScramVerifier.of(link.password())) + ";\n"
                + "SELECT pg_create_physical_replication_slot(" + slot + ", true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots "
                + "WHERE slot_name = " + slot + ");\n";
    }

    /** Drops the replica's slot, ending the walsender that holds it first; nothing when it is gone already. */
    static String dropSql(String replica) {
        return dropSlotSql(slotName(replica));
    }

    /** {@link #dropSql} by the slot's own name. */
    static String dropSlotSql(String slotName) {
        String slot = PostgresProvider.literal(slotName);
        return "DO $$ BEGIN FOR i IN 1..100 LOOP\n"
                + "  IF NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = " + slot + ") THEN RETURN; END IF;\n"
                + "  PERFORM pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = " + slot + " AND active;\n"
                + "  BEGIN PERFORM pg_drop_replication_slot(" + slot + "); RETURN;\n"
                + "  EXCEPTION WHEN object_in_use OR undefined_object THEN PERFORM pg_sleep(0.05); END;\n"
                + "END LOOP; RAISE EXCEPTION 'replication slot % stays in use', " + slot + "; END $$;\n";
    }

    /**
     * Copies the source into the replica's data directory through its slot, as the replica's engine user (the files are
     * its own), the password in the environment. A directory holding a complete copy (standby.signal is written last) is
     * kept; a partial one is emptied first.
     */
    static void seed(ToolRunner asEngineUser, Path bin, InstanceContext replica) {
        ReplicationLink link = replica.replication();
        if (link == null) throw new IllegalStateException(replica.spec().name() + " is not a replica");
        Path data = replica.dataDir();
        if (Files.exists(data.resolve("standby.signal")) && Files.exists(data.resolve("PG_VERSION"))) return;
        emptyDirectory(data);
        Map<String, String> env = Map.of("PGPASSWORD", link.password(), "PGSSLMODE", "prefer", "PGCONNECT_TIMEOUT", "10",
                "PGAPPNAME", replica.spec().name());
        asEngineUser.engine(List.of(bin.resolve("pg_basebackup").toString(), "-h", link.sourceHost(), "-p", String.valueOf(link.sourcePort()),
                "-U", ReplicationLink.USER, "-D", data.toString(), "-S", slotName(link.replica()), "-X", "stream", "-c", "fast", "-w"),
                env, null, Duration.ofHours(6));
        // pg_basebackup flushed the copy to disk before it returned: standby.signal, written durably after it, says the
        // copy is complete (a power loss before it means a new copy), and makes the engine start as a standby
        EngineFiles.writeOwned(data.resolve("standby.signal"), "", replica.engineUser());
    }

    private static void emptyDirectory(Path dir) {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) EngineFiles.deleteTree(p);
        } catch (java.nio.file.NoSuchFileException e) {
            // created by the plan's first step; nothing to empty
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot empty " + dir, e);
        }
    }

    /** The standby's lines of postgresql.conf, and its password file (written beside it). */
    static String standbyConfig(InstanceContext replica) {
        ReplicationLink link = replica.replication();
        Path passfile = replica.confDir().resolve(PASSFILE);
        EngineFiles.writeOwned(passfile, "*:*:*:" + ReplicationLink.USER + ":" + link.password().replace("\\", "\\\\").replace(":", "\\:")
                + "\n", replica.engineUser());
        String conninfo = Conninfo.of(Map.of("host", link.sourceHost(), "port", String.valueOf(link.sourcePort()), "user",
                ReplicationLink.USER, "passfile", passfile.toString(), "application_name", replica.spec().name(), "sslmode", "prefer",
                "connect_timeout", "10"));
        return "hot_standby = on\n"
                + "primary_conninfo = '" + conninfo.replace("'", "''") + "'\n"
                + "primary_slot_name = '" + slotName(link.replica()) + "'\n"
                + "wal_receiver_status_interval = '" + STATUS_INTERVAL + "'\n"
                // the source keeps the rows the replica's queries still see, so its vacuum does not cancel a dump on the
                // replica (lock conflicts still can, after max_standby_streaming_delay); the price: a stopped replica's slot
                // holds back the source's vacuum until it returns or its slot is lost
                + "hot_standby_feedback = on\n";
    }

    /**
     * A primary's WAL kept for slots stays under a tenth of its storage (at least 64 MB): a dead replica loses its slot
     * instead (PostgreSQL 13 and later have the setting).
     */
    static String slotLimit(InstanceSpec spec) {
        if (!PgBulkLoad.supported(spec.version())) return "";
        return "max_slot_wal_keep_size = '" + Math.max(64, spec.storageGiB() * 1024L / 10) + "MB'\n";
    }

    /**
     * Leaves recovery (waits up to 50 s, inside psql's minute); nothing when the engine is no longer in recovery. Then
     * what the copy brought from its source goes: the source's replication login may no longer log in here (it gets a
     * password of this instance's own if this one gets replicas), and a read-only switch the source had (storage full) is
     * dropped (the instance's own state decides, when it is marked available).
     */
    static final String PROMOTE_SQL = "SELECT pg_promote(true, 50) WHERE pg_is_in_recovery();\n"
            + "DO $$ BEGIN IF pg_is_in_recovery() THEN RAISE EXCEPTION 'still in recovery after promotion'; END IF; END $$;\n"
            + "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ReplicationLink.USER + "') THEN "
            + "ALTER ROLE " + ReplicationLink.USER + " NOLOGIN PASSWORD NULL; END IF; END $$;\n"
            + "ALTER SYSTEM RESET default_transaction_read_only;\nSELECT pg_reload_conf();\n";

    /** The standby's password file for its source's replication login, gone once it no longer follows one. */
    static void removePassfile(InstanceContext ctx) {
        EngineFiles.deleteTree(ctx.confDir().resolve(PASSFILE));
    }

    /** The source's view of the replica's slot and walsender: active, wal_status, lag bytes, replay lag, reply age. */
    static String stateSql(String replica) {
        String slot = PostgresProvider.literal(slotName(replica));
        return "SELECT s.active, coalesce(s.wal_status, ''), "
                + "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(r.replay_lsn, s.restart_lsn))::bigint, -1), "
                + "coalesce(extract(epoch FROM r.replay_lag), 0), coalesce(extract(epoch FROM now() - r.reply_time), -1), "
                + "coalesce(pg_wal_lsn_diff(r.replay_lsn, '0/0')::bigint, -1), "
                + "coalesce(r.state, '') FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid "
                + "WHERE s.slot_name = " + slot + ";";
    }

    /**
     * From {@link #stateSql}'s row: bytes behind; seconds behind as the walsender measured it while the replica answers
     * (it reports every second), else the age of its last report (a stalled replica's lag grows with it).
     */
    static ReplicationState parseState(String row) {
        if (row.replaceAll("[\r\n]+", "").isEmpty()) {
            return new ReplicationState(false, -1, -1, true, "the source has no replication slot for this replica: it cannot catch up; "
                    + "delete it and create a new one", -1);
        }
        // not strip(): the unit separator is whitespace to Java, and the last column (the state) is empty when disconnected
        String[] f = row.replaceAll("[\r\n]+$", "").split(Psql.FIELD, -1);
        boolean active = "t".equals(f[0]);
        String walStatus = f[1];
        long bytes = Long.parseLong(f[2]);
        double replayLag = Double.parseDouble(f[3]);
        double replyAge = Double.parseDouble(f[4]);
        long replayed = Long.parseLong(f[5]);
        String state = f[6];
        if ("lost".equals(walStatus)) {
            return new ReplicationState(false, bytes, -1, true, "the source removed WAL this replica still needed (its slot passed "
                    + "max_slot_wal_keep_size): it cannot catch up; delete it and create a new one", replayed);
        }
        if (!active || !"streaming".equals(state)) {
            return new ReplicationState(false, bytes, replyAge, false, active ? "replication is " + (state.isEmpty() ? "starting" : state)
                    : "the replica is not connected to its source", replayed);
        }
        double seconds = bytes <= 0 ? 0 : replyAge >= 0 && replyAge <= 3 ? replayLag : Math.max(replayLag, replyAge);
        return new ReplicationState(true, Math.max(0, bytes), seconds, false, null, replayed);
    }
}
