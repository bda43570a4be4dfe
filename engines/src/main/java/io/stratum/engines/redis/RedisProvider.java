package io.stratum.engines.redis;

import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.instance.ParameterCatalog;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.InstalledVersion;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Redis 7 from Debian's packages. Passwords live only as SHA-256 hashes in the ACL file. */
public final class RedisProvider implements EngineProvider {
    static final Path SERVER = Path.of("/usr/bin/redis-server");
    static final ParameterCatalog CATALOG = new ParameterCatalog(List.of(
            ParamSpec.memoryMb("maxmemory", 1, 1048576, true, "memory limit for data"),
            ParamSpec.choice("maxmemory-policy", List.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"), true, "what happens at maxmemory"),
            ParamSpec.integer("timeout", 0, 86400, true, "close idle clients after N seconds; 0 never"),
            ParamSpec.bool("appendonly", true, "append-only file persistence"),
            ParamSpec.choice("appendfsync", List.of("always", "everysec", "no"), true, "when the AOF is fsynced"),
            ParamSpec.integer("hz", 1, 500, true, "background task frequency"),
            ParamSpec.integer("tcp-keepalive", 0, 3600, true, "seconds between keepalives"),
            ParamSpec.integer("slowlog-log-slower-than", -1, 100000000, true, "microseconds"),
            ParamSpec.integer("databases", 1, 64, false, "number of databases"),
            ParamSpec.integer("io-threads", 1, 8, false, "I/O threads")));
    private static final Set<String> MEMORY = Set.of("maxmemory");

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of();
    }

    @Override
    public List<String> versions() {
        return version.versions();
    }

    private final InstalledVersion version = new InstalledVersion(SERVER, "v=(\\d+)\\.\\d+");

    @Override
    public int defaultPort() {
        return 6379;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.BACKUP, Capability.LIVE_PARAMS, Capability.READ_ONLY, Capability.MANAGED_USERS, Capability.TLS,
                Capability.REPLICAS);
    }

    @Override
    public io.stratum.core.engine.ContractBlock contract() {
        return new io.stratum.core.engine.ContractBlock("REDIS", "redis", "rediss", "", "", "REDIS_URL", 0, false);
    }

    @Override
    public io.stratum.core.engine.ClientCommand client() {
        return new io.stratum.core.engine.ClientCommand(List.of("redis-cli", "-h", "{host}", "-p", "{port}", "--user", "{user}", "-n",
                "{database}", "--no-auth-warning"), java.util.Map.of(), "REDISCLI_AUTH", List.of("--tls", "--cacert", "{ca}"),
                java.util.Map.of());
    }

    @Override
    public String defaultDatabase() {
        return "0";
    }

    @Override
    public java.util.Optional<String> databaseProblem(String database) {
        return database != null && database.matches("^([0-9]|1[0-5])$") ? java.util.Optional.empty()
                : java.util.Optional.of("a Redis database is a number 0-15");
    }

    @Override
    public java.util.Optional<String> externalDefaultDatabase() {
        return java.util.Optional.of("0");
    }

    @Override
    public List<String> features() {
        return List.of("live-params", "read-only (noeviction at maxmemory)", "hashed-acl-passwords", "aof-persistence");
    }

    @Override
    public ParameterCatalog parameters() {
        return CATALOG;
    }

    @Override
    public Map<String, String> settings(InstanceSpec spec) {
        InstanceClass c = spec.instanceClass();
        Map<String, String> s = new TreeMap<>();
        s.put("maxmemory", c.memoryMib + "mb");
        s.put("maxmemory-policy", "noeviction");
        s.put("appendonly", "yes");
        s.put("appendfsync", "everysec");
        s.put("databases", "16");
        spec.params().forEach((k, v) -> {
            ParamSpec p = CATALOG.find(k);
            s.put(k, p == null ? v : switch (p.type()) {
                case MEMORY_MB -> ParamSpec.megabytes(v) + "mb";
                case BOOL -> ParamSpec.truthy(v) ? "yes" : "no";
                default -> v.trim();
            });
        });
        return s;
    }

    private static ToolRunner tools(InstanceContext ctx) {
        return new ToolRunner(ctx.engineUser());
    }

    private static Path socket(InstanceContext ctx) {
        return ctx.runDir().resolve("redis.sock");
    }

    private static RedisCli cli(InstanceContext ctx) {
        return new RedisCli(tools(ctx));
    }

    @Override
    public void prepareData(InstanceContext ctx) {
        // Redis starts from an empty directory; nothing to initialise.
    }

    @Override
    public void writeConfig(InstanceContext ctx) {
        InstanceSpec s = ctx.spec();
        StringBuilder conf = new StringBuilder("# Written by Stratum from the instance's spec; changes here are overwritten.\n");
        if (ctx.tlsRequired()) {
            // TLS only: the plain port is disabled
            conf.append("port 0\n");
            conf.append("tls-port ").append(s.port()).append('\n');
            conf.append("tls-cert-file ").append(ctx.tlsCertificate()).append('\n');
            conf.append("tls-key-file ").append(ctx.tlsKey()).append('\n');
            conf.append("tls-ca-cert-file ").append(ctx.tlsCa()).append('\n');
            conf.append("tls-auth-clients no\n");
        } else {
            conf.append("port ").append(s.port()).append('\n');
        }
        conf.append("bind ").append(ctx.bindAddress()).append('\n');
        conf.append("protected-mode yes\n");
        conf.append("unixsocket ").append(socket(ctx)).append('\n');
        conf.append("unixsocketperm 700\n");
        conf.append("dir ").append(ctx.dataDir()).append('\n');
        conf.append("aclfile ").append(ctx.confDir().resolve("users.acl")).append('\n');
        conf.append("daemonize yes\n");
        conf.append("pidfile ").append(ctx.runDir().resolve("redis.pid")).append('\n');
        conf.append("logfile ").append(ctx.logDir().resolve("redis.log")).append('\n');
        conf.append("save \"\"\n");
        // a backup is a replica-style diskless sync: Redis 7 would wait 5 s for more replicas before sending the RDB
        conf.append("repl-diskless-sync-delay 0\n");
        settings(s).forEach((k, v) -> conf.append(k).append(' ').append(v).append('\n'));
        if (ctx.replication() != null) conf.append(RedisReplication.replicaConfig(ctx));
        EngineFiles.writeOwned(ctx.confDir().resolve("redis.conf"), conf.toString(), ctx.engineUser());
        RedisAcl.write(ctx);
        EngineFiles.ensureOwnedFile(ctx.logDir().resolve("redis.log"), ctx.engineUser());
    }

    @Override
    public boolean usersHaveDatabases() {
        return false;
    }

    @Override
    public boolean usersHaveKeyPatterns() {
        return true;
    }

    @Override
    public void applyUsers(InstanceContext ctx) {
        RedisAcl.write(ctx);
        bootstrap(ctx);
    }

    /** The ACL without the user, loaded; its connections closed. */
    @Override
    public void dropUser(InstanceContext ctx, String name) {
        RedisAcl.write(ctx);
        bootstrap(ctx);
        try {
            cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CLIENT", "KILL", "USER", name);
        } catch (ToolException e) {
            if (!e.getMessage().contains("No such user")) throw e; // its connections went with it
        }
    }


    @Override
    public void start(InstanceContext ctx) {
        start(ctx, List.of());
    }

    /** Starts redis-server on the instance's config, with {@code overrides} (e.g. {@code --appendonly no}) after it. */
    private void start(InstanceContext ctx, List<String> overrides) {
        EngineFiles.clearStale(ctx.runDir().resolve("redis.pid"), socket(ctx), ctx.dataDir());
        // a new replica's first start returns once its first sync is loaded; a later one (a restart while its source may be
        // down) does not wait for its source
        boolean firstStart = !Files.exists(ctx.dataDir().resolve("appendonlydir")) && !Files.exists(ctx.dataDir().resolve("dump.rdb"));
        List<String> argv = new java.util.ArrayList<>(List.of("setsid", SERVER.toString(), ctx.confDir().resolve("redis.conf").toString()));
        argv.addAll(overrides);
        tools(ctx).engine(argv, null, null, Duration.ofSeconds(30));
        EngineFiles.awaitSocket(socket(ctx), Duration.ofSeconds(30), () -> pid(ctx), "redis-server");
        awaitLoaded(ctx);
        if (ctx.replication() != null && firstStart) RedisReplication.awaitLinkUp(cli(ctx), socket(ctx), ctx);
    }

    /**
     * A replica connects the way its source listens (TLS only, or plain) and needs as many databases (a SELECT of one it
     * lacks would put the source's writes in another); replicas ignore maxmemory (Redis' default).
     */
    @Override
    public java.util.Optional<String> replicaProblem(InstanceSpec source, InstanceSpec replica) {
        if ("require".equals(source.tls()) != "require".equals(replica.tls())) {
            return java.util.Optional.of("a Redis replica needs its source's TLS mode (" + source.name() + ": tls " + source.tls()
                    + ", " + replica.name() + ": tls " + replica.tls() + "): change both together");
        }
        String sourceDbs = settings(source).get("databases");
        String replicaDbs = settings(replica).get("databases");
        if (!sourceDbs.equals(replicaDbs)) {
            return java.util.Optional.of("a Redis replica needs its source's number of databases (" + sourceDbs + ", not " + replicaDbs + ")");
        }
        return java.util.Optional.empty();
    }

    /** The replication user in the source's ACL file (kept by every rewrite), loaded. */
    @Override
    public void prepareReplicationSource(InstanceContext source, io.stratum.core.engine.ReplicationLink link) {
        RedisAcl.write(source, RedisReplication.aclLine(link.password()));
        bootstrap(source);
    }

    /** ACLs are not replicated: Stratum writes the master user's on each replica. */
    @Override
    public boolean replicasCarryUsers() {
        return false;
    }

    /** A Redis replica seeds itself: its first sync from the source when it starts. */
    @Override
    public void seedReplica(InstanceContext replica) {}

    @Override
    public void promote(InstanceContext replica) {
        cli(replica).admin(socket(replica), replica.adminSecret(), RedisReplication.promoteCommand().toArray(String[]::new));
    }

    @Override
    public io.stratum.core.engine.ReplicationState replicationState(InstanceContext source, InstanceContext replica) {
        return RedisReplication.state(cli(source).admin(socket(source), source.adminSecret(), "INFO", "replication"), replica.spec().port());
    }

    /** After a restart Redis answers LOADING until its AOF is read back; ready means PING answers PONG. */
    private void awaitLoaded(InstanceContext ctx) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            var r = tools(ctx).run(tools(ctx).asEngineUser(List.of("redis-cli", "-s", socket(ctx).toString(), "--user", RedisCli.ADMIN,
                    "--no-auth-warning", "PING")), Map.of("REDISCLI_AUTH", ctx.adminSecret()), null, Duration.ofSeconds(10), null);
            if (r.stdout().strip().equals("PONG")) return;
            if (System.nanoTime() > deadline) throw new ToolException("redis-server is still loading its data after 5 minutes");
            EngineFiles.sleep(20);
        }
    }

    @Override
    public void stop(InstanceContext ctx) {
        long pid = pid(ctx);
        if (EngineFiles.alive(pid)) EngineFiles.terminate(pid, ctx.dataDir(), Duration.ofSeconds(60), "redis-server");
        try {
            Files.deleteIfExists(ctx.runDir().resolve("redis.pid"));
        } catch (IOException e) {
            throw new ToolException("cannot remove the pid file of " + ctx.spec().name() + ": " + e.getMessage());
        }
    }

    @Override
    public ProcessState observe(InstanceContext ctx) {
        return EngineFiles.state(pid(ctx), ctx.dataDir());
    }

    @Override
    public long pid(InstanceContext ctx) {
        return EngineFiles.readPid(ctx.runDir().resolve("redis.pid"));
    }

    @Override
    public void bootstrap(InstanceContext ctx) {
        cli(ctx).admin(socket(ctx), ctx.adminSecret(), "ACL", "LOAD");
    }

    @Override
    public void verifyConnection(InstanceContext ctx) {
        try (RespClient c = new RespClient(ctx.healthCheckSource(), ctx.connectHost(), ctx.spec().port(), 10_000, ctx.tlsRequired() ? ctx.tlsCa() : null)) {
            c.call("AUTH", ctx.spec().masterUser(), ctx.masterPassword());
            c.call("SELECT", ctx.spec().database());
            String pong = c.call("PING");
            if (!"PONG".equals(pong)) throw new IOException("PING answered " + pong);
        } catch (IOException e) {
            throw new ToolException("cannot connect to " + ctx.spec().name() + " as " + ctx.spec().masterUser() + ": " + e.getMessage());
        }
    }

    @Override
    public void applyLive(InstanceContext ctx, Set<String> changedNames) {
        Map<String, String> settings = settings(ctx.spec());
        for (String name : changedNames) {
            String v = settings.get(name);
            if (v != null) cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", name, v);
        }
    }

    /** Redis has no per-address rules: it binds the instance's address and requires a password; the kernel layer filters. */
    @Override
    public void applyIngress(InstanceContext ctx) {
        // nothing to change in the engine
    }

    @Override
    public List<String> observeIngress(InstanceContext ctx) {
        List<String> lines = new java.util.ArrayList<>();
        for (String name : List.of("bind", "protected-mode")) {
            String out = cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "GET", name);
            List<String> kv = out.lines().toList();
            lines.add(name + " " + (kv.size() > 1 ? kv.get(1) : "?"));
        }
        lines.add("passwords required (ACL); Redis has no per-address rules: addresses are enforced by the kernel layer only");
        return lines;
    }

    /** An RDB snapshot taken by redis-cli over the admin socket (a replica-style sync), streamed to {@code out}. */
    @Override
    public List<io.stratum.core.backup.TableStat> dump(InstanceContext ctx, java.io.OutputStream out) {
        RdbKeyCount rdb = new RdbKeyCount(out);
        // instances configured before the delay was set in their file: no 5 s wait for other replicas either
        cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "repl-diskless-sync-delay", "0");
        tools(ctx).streamAsUser(List.of("redis-cli", "-s", socket(ctx).toString(), "--user", RedisCli.ADMIN, "--no-auth-warning",
                "--rdb", "-"), Map.of("REDISCLI_AUTH", ctx.adminSecret()), null, rdb, Duration.ofHours(12));
        return rdb.keysInDb0().stream().mapToObj(n -> new io.stratum.core.backup.TableStat("db0", n, null)).toList();
    }

    /** Database 0's key count (a Redis "table"); values are compared by the tests, not the drill. */
    @Override
    public List<io.stratum.core.backup.TableStat> tableStats(InstanceContext ctx, List<io.stratum.core.backup.TableStat> expected) {
        String n = cli(ctx).admin(socket(ctx), ctx.adminSecret(), "DBSIZE").strip();
        return List.of(new io.stratum.core.backup.TableStat("db0", Long.parseLong(n.replaceAll("\\D", "")), null));
    }

    /**
     * Loads an RDB: the engine is stopped, the RDB put in its data directory in place of the AOF, started with AOF off
     * (so it loads the RDB), then AOF is switched back on, which rewrites it from memory; restarts then use the AOF.
     */
    @Override
    public void restore(InstanceContext ctx, java.io.InputStream in) {
        stop(ctx);
        java.nio.file.Path rdb = ctx.dataDir().resolve("dump.rdb");
        try {
            EngineFiles.writeOwned(rdb, in, ctx.engineUser());
        } catch (java.io.UncheckedIOException e) {
            throw new ToolException("cannot write " + rdb + ": " + e.getCause().getMessage());
        }
        tools(ctx).engine(List.of("rm", "-rf", "--one-file-system", "--", ctx.dataDir().resolve("appendonlydir").toString()), null, null,
                Duration.ofMinutes(10));
        start(ctx, List.of("--appendonly", "no"));
        cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "appendonly", "yes");
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        while (true) {
            String info = cli(ctx).admin(socket(ctx), ctx.adminSecret(), "INFO", "persistence");
            if (info.contains("aof_enabled:1") && info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                if (!info.contains("aof_last_bgrewrite_status:ok")) throw new ToolException("redis could not rewrite its AOF after the restore");
                return;
            }
            if (System.nanoTime() > deadline) throw new ToolException("redis did not finish rewriting its AOF after the restore");
            EngineFiles.sleep(50);
        }
    }

    @Override
    public void reloadTls(InstanceContext ctx) {
        if (ctx.tlsRequired()) cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "tls-cert-file", ctx.tlsCertificate().toString());
    }

    @Override
    public Map<String, String> readLive(InstanceContext ctx, Set<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            String[] lines = cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "GET", name).split("\n");
            if (lines.length >= 2) {
                String v = lines[1].trim();
                values.put(name, MEMORY.contains(name) ? (Long.parseLong(v) / (1024 * 1024)) + "mb" : v);
            }
        }
        return values;
    }

    @Override
    public void setReadOnly(InstanceContext ctx, boolean readOnly) {
        if (readOnly) {
            String used = info(ctx, "used_memory");
            cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "maxmemory-policy", "noeviction");
            cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "maxmemory", used);
        } else {
            Map<String, String> s = settings(ctx.spec());
            cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "maxmemory-policy", s.get("maxmemory-policy"));
            cli(ctx).admin(socket(ctx), ctx.adminSecret(), "CONFIG", "SET", "maxmemory", s.get("maxmemory"));
        }
    }

    private String info(InstanceContext ctx, String field) {
        for (String line : cli(ctx).admin(socket(ctx), ctx.adminSecret(), "INFO", "memory").split("\n")) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1).trim();
        }
        throw new ToolException("INFO memory has no " + field);
    }

    @Override
    public List<String> logTail(InstanceContext ctx, int lines) {
        return EngineFiles.tail(ctx.logDir().resolve("redis.log"), lines);
    }

    @Override
    public void rotateLogs(InstanceContext ctx, long maxBytes) {
        for (String log : List.of("redis.log")) EngineFiles.rotate(ctx.logDir().resolve(log), maxBytes);
    }
}
