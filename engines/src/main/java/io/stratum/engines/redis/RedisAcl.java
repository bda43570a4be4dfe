package io.stratum.engines.redis;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.user.ManagedUser;
import io.stratum.core.user.UserCredentials;
import io.stratum.engines.EngineFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Redis instance's ACL file (users.acl): who may connect, with which password hash, and what each may run. */
final class RedisAcl {
    private RedisAcl() {}

    /**
     * The ACL file: Stratum's admin; the master user, and 'default' with the same password so that a plain
     * AUTH &lt;password&gt; (REDIS_CREDENTIALS_SECRET alone, as ElastiCache clients do) works too; the replication user
     * of its replicas, as it is (see {@link RedisReplication}); the managed users.
     */
    static void write(InstanceContext ctx) {
        write(ctx, RedisReplication.currentLine(ctx.confDir().resolve("users.acl")));
    }

    /** The file, with {@code replicationLine} (the replication user's line, or empty). */
    static void write(InstanceContext ctx, String replicationLine) {
        String masterRules = " on #" + sha256(ctx.masterPassword()) + " " + TENANT_RULES + "\n";
        StringBuilder acl = new StringBuilder("user default" + masterRules
                + "user " + RedisCli.ADMIN + " on #" + sha256(ctx.adminSecret()) + " ~* &* +@all\n"
                + "user " + ctx.spec().masterUser() + masterRules + replicationLine);
        for (UserCredentials u : ctx.managedUsers()) {
            acl.append("user ").append(u.name()).append(" on #").append(sha256(u.password())).append(' ')
                    .append(userRules(u.user().access(), u.user().keyPattern())).append('\n');
        }
        EngineFiles.writeOwned(ctx.confDir().resolve("users.acl"), acl.toString(), ctx.engineUser());
    }

    /**
     * What a tenant's users may run: every data command, none of {@code @admin} or {@code @dangerous} (CONFIG, MODULE,
     * DEBUG, ACL, REPLICAOF, SAVE, SHUTDOWN, MIGRATE, MONITOR, CLIENT KILL, ...), except the few of those that clients
     * need and that reach nothing outside the tenant's own data: FLUSHDB/FLUSHALL, INFO (ioredis and BullMQ call it on
     * connect), KEYS, SORT and SWAPDB.
     */
    static final String TENANT_RULES = "~* &* +@all -@admin -@dangerous +flushdb +flushall +info +keys +sort +sort_ro +swapdb";

    /**
     * A managed user's rules: its keys ({@code ~pattern}) and, by access, read commands only or read and write ones;
     * never {@code @admin} or {@code @dangerous}. A user limited to some keys also loses what reaches beyond them: the
     * commands that see or change every key regardless of patterns (KEYS, SCAN, RANDOMKEY, FLUSHDB, FLUSHALL, SWAPDB),
     * every Pub/Sub channel (keyspace notifications name other keys), client-side caching's key broadcasts, and the
     * server-wide script and function stores
     * (FUNCTION LOAD could replace a library the master user runs with FCALL, and so act with all its keys): it may still
     * run scripts and functions, which Redis checks against its own rules command by command.
     */
    static String userRules(ManagedUser.Access access, String keyPattern) {
        boolean everyKey = keyPattern == null || keyPattern.equals("*");
        String keys = everyKey ? "~* &*" : "~" + keyPattern + " resetchannels";
        // CLIENT TRACKING (BCAST) pushes the name of every key changed, whatever the user's patterns (Redis 7.0)
        String limited = " -scan -randomkey -client|tracking -client|caching";
        String commands = access == ManagedUser.Access.READ // @read holds no scripting command
                ? "-@all +@read +@connection -@admin -@dangerous +info +sort_ro" + (everyKey ? " +keys" : limited)
                : "+@all -@admin -@dangerous +info +sort +sort_ro" + (everyKey ? " +keys +flushdb +flushall +swapdb"
                        : limited + " -@scripting +eval +evalsha +eval_ro +evalsha_ro +fcall +fcall_ro");
        return keys + " " + commands;
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
