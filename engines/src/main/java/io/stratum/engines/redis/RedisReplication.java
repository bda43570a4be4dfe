package io.stratum.engines.redis;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ReplicationLink;
import io.stratum.core.engine.ReplicationState;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Redis replication: the source's ACL gets a replication user that may run only what a replica's sync needs (PSYNC,
 * REPLCONF, PING); the replica's config names its source ({@code replicaof}) and that user ({@code masteruser},
 * {@code masterauth} in its own 0600 config); it seeds itself with a full sync and refuses writes
 * ({@code replica-read-only}).
 */
final class RedisReplication {
    /** What the replication user may run on the source: the sync, nothing else (no key, no channel). */
    static final String RULES = "resetkeys resetchannels -@all +psync +replconf +ping";
    private static final Pattern PASSWORD = Pattern.compile("^[A-Za-z0-9]{16,128}$");
    private static final String ACL_LINE = "user " + ReplicationLink.USER + " ";
    private static final Pattern OWN_LINE = Pattern.compile("^" + Pattern.quote(ACL_LINE + "on #") + "[0-9a-f]{64} " + Pattern.quote(RULES) + "$");

    private RedisReplication() {}

    /** The replication user's ACL line (its password hashed). */
    static String aclLine(String password) {
        return ACL_LINE + "on #" + RedisAcl.sha256(password) + " " + RULES + "\n";
    }

    /**
     * The replication user's line of the ACL file as it is now (kept when Stratum rewrites the file), or empty. Only a line
     * exactly as Stratum writes it is kept (the file is the engine user's: a line with other rules, e.g. {@code nopass} or
     * {@code +@all}, is dropped rather than carried forward).
     */
    static String currentLine(Path aclFile) {
        try {
            if (!Files.exists(aclFile)) return "";
            return Files.readAllLines(aclFile).stream().filter(l -> OWN_LINE.matcher(l).matches()).findFirst().map(l -> l + "\n").orElse("");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + aclFile, e);
        }
    }

    /** The replica's lines of redis.conf: its source, the replication user and its password (0600, the replica's own file). */
    static String replicaConfig(InstanceContext replica) {
        ReplicationLink link = replica.replication();
        if (!PASSWORD.matcher(link.password()).matches()) throw new IllegalStateException("a replication password is letters and digits");
        if (!link.sourceHost().matches("[A-Za-z0-9.:-]+")) throw new IllegalStateException("not a host: " + link.sourceHost());
        return "replicaof " + link.sourceHost() + " " + link.sourcePort() + "\n"
                + "masteruser " + ReplicationLink.USER + "\n"
                + "masterauth " + link.password() + "\n"
                + "replica-read-only yes\n"
                + (replica.tlsRequired() ? "tls-replication yes\n" : "");
    }

    /** Waits until a starting replica has its source's data (its link up after the first sync). */
    static void awaitLinkUp(RedisCli cli, Path socket, InstanceContext replica) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            Map<String, String> info = info(cli.admin(socket, replica.adminSecret(), "INFO", "replication"));
            if ("up".equals(info.get("master_link_status")) && !"1".equals(info.get("master_sync_in_progress"))) return;
            if (System.nanoTime() > deadline) {
                throw new ToolException("replica " + replica.spec().name() + " did not finish its first sync from "
                        + replica.replication().source() + " within 10 minutes (link " + info.get("master_link_status") + ")");
            }
            EngineFiles.sleep(20);
        }
    }

    /**
     * From the source's INFO replication: the replica (found by its port) and its acknowledged offset against the
     * source's; seconds behind are the seconds since its last acknowledgement (it acknowledges every second).
     */
    static ReplicationState state(String sourceInfo, int replicaPort) {
        Map<String, String> info = info(sourceInfo);
        long master = Long.parseLong(info.getOrDefault("master_repl_offset", "0"));
        for (var e : info.entrySet()) {
            if (!e.getKey().matches("slave\\d+")) continue;
            Map<String, String> r = fields(e.getValue());
            if (!String.valueOf(replicaPort).equals(r.get("port"))) continue;
            long offset = Long.parseLong(r.getOrDefault("offset", "-1"));
            long lag = Long.parseLong(r.getOrDefault("lag", "0"));
            if (!"online".equals(r.get("state"))) {
                return new ReplicationState(false, Math.max(0, master - offset), lag, false, "replication is " + r.get("state"), offset);
            }
            long bytes = Math.max(0, master - offset);
            return new ReplicationState(true, bytes, bytes == 0 ? 0 : lag, false, null, offset);
        }
        return new ReplicationState(false, -1, -1, false, "the replica is not connected to its source", -1);
    }

    private static Map<String, String> info(String text) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) m.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return m;
    }

    private static Map<String, String> fields(String value) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : value.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static List<String> promoteCommand() {
        return List.of("REPLICAOF", "NO", "ONE");
    }
}
