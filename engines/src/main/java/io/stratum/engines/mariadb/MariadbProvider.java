package io.stratum.engines.mariadb;

import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParameterCatalog;
import io.stratum.core.user.ManagedUser;
import io.stratum.core.user.UserCredentials;
import io.stratum.engines.DetachedProcess;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.InstalledVersion;
import io.stratum.engines.Templates;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** MariaDB 10.11 from Debian's packages; {@code mysql} is accepted as an alias and runs MariaDB. */
public final class MariadbProvider implements EngineProvider {
    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    /**
     * What the master user may do: everything inside its database, nothing global. No CREATE USER or GRANT OPTION
     * (either lets it alter any account, Stratum's admin included), no FILE or SUPER, no global SELECT (which would
     * include the password hashes in {@code mysql.global_priv}), no PROCESS (other sessions' statements).
     */
    static final String MASTER_GRANTS = "ALL PRIVILEGES";

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("mysql", "MySQL-compatible: runs MariaDB (Debian ships no MySQL server)");
    }

    @Override
    public List<String> versions() {
        return version.versions();
    }

    private final InstalledVersion version = new InstalledVersion(MARIADBD, "(\\d+\\.\\d+)\\.\\d+-MariaDB");

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.BACKUP, Capability.STAGED_RESTORE, Capability.EXTERNAL_TLS, Capability.LIVE_PARAMS, Capability.READ_ONLY,
                Capability.TEMPLATE_CLONE, Capability.MANAGED_USERS, Capability.TLS);
    }

    @Override
    public io.stratum.core.engine.ContractBlock contract() {
        return new io.stratum.core.engine.ContractBlock("MYSQL", "mysql", "mysql", "?ssl-mode=REQUIRED",
                "?ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}", "DATABASE_URL", 1, true);
    }

    @Override
    public io.stratum.core.engine.ClientCommand client() {
        return new io.stratum.core.engine.ClientCommand(List.of("mariadb", "--no-defaults", "-h", "{host}", "-P", "{port}",
                "--user={user}", "--database={database}"), java.util.Map.of(), "MYSQL_PWD",
                List.of("--ssl", "--ssl-ca={ca}", "--ssl-verify-server-cert"), java.util.Map.of());
    }

    /** MariaDB has no database every server has for applications: a registration names it. */
    @Override
    public java.util.Optional<String> externalDefaultDatabase() {
        return java.util.Optional.empty();
    }

    @Override
    public List<String> features() {
        return List.of("template-clone", "live-params", "read-only", "mysql-compatible");
    }

    @Override
    public ParameterCatalog parameters() {
        return MariadbSettings.CATALOG;
    }

    @Override
    public Map<String, String> settings(InstanceSpec spec) {
        return MariadbSettings.render(spec);
    }

    private static ToolRunner tools(InstanceContext ctx) {
        return new ToolRunner(ctx.engineUser());
    }

    /** Stratum's admin: the one OS user whose account authenticates by unix_socket (see {@link #initFile}). */
    private static MariadbClient client(InstanceContext ctx) {
        return new MariadbClient(new ToolRunner(ctx.users().admin()), ctx.users().adminName());
    }

    private static Path socket(InstanceContext ctx) {
        return ctx.runDir().resolve("mariadb.sock");
    }

    @Override
    public void prepareData(InstanceContext ctx) {
        Path template = Templates.ensure(ctx.templatesDir(), "mariadb-" + ctx.spec().version() + "-" + ctx.controlUser(),
                ctx.users().template(), dir -> new MariadbInstallDb(new ToolRunner(ctx.users().template()))
                        .install(dir.resolve("data"), ctx.controlUser()));
        Templates.cloneInto(tools(ctx), template.resolve("data"), ctx.dataDir(), "mysql/global_priv.frm", ctx.engineUser());
    }

    @Override
    public void writeConfig(InstanceContext ctx) {
        InstanceSpec s = ctx.spec();
        StringBuilder cnf = new StringBuilder("# Written by Stratum from the instance's spec; changes here are overwritten.\n[mariadbd]\n");
        cnf.append("datadir=").append(ctx.dataDir()).append('\n');
        cnf.append("port=").append(s.port()).append('\n');
        cnf.append("bind-address=").append(ctx.bindAddress()).append('\n');
        cnf.append("socket=").append(socket(ctx)).append('\n');
        cnf.append("pid-file=").append(ctx.runDir().resolve("mariadb.pid")).append('\n');
        cnf.append("log-error=").append(ctx.logDir().resolve("mariadb.err")).append('\n');
        cnf.append("skip-name-resolve\n");
        cnf.append("secure_file_priv=").append(ctx.filesDir()).append('\n');
        cnf.append("local_infile=OFF\n");
        cnf.append("init-file=").append(ctx.confDir().resolve("init.sql")).append('\n');
        cnf.append("server-id=").append(Math.floorMod(s.name().hashCode(), 1_000_000) + 1).append('\n');
        cnf.append("innodb_buffer_pool_chunk_size=8M\n");
        if (ctx.tlsOn()) {
            cnf.append("ssl_cert=").append(ctx.tlsCertificate()).append('\n');
            cnf.append("ssl_key=").append(ctx.tlsKey()).append('\n');
            cnf.append("ssl_ca=").append(ctx.tlsCa()).append('\n');
        }
        if (ctx.tlsRequired()) cnf.append("require_secure_transport=ON\n");
        settings(s).forEach((k, v) -> cnf.append(k).append('=').append(v).append('\n'));
        EngineFiles.writeOwned(ctx.confDir().resolve("my.cnf"), cnf.toString(), ctx.engineUser());
        EngineFiles.writeOwned(ctx.confDir().resolve("init.sql"), initFile(ctx.users().adminName()), ctx.engineUser());
        EngineFiles.ensureOwnedFile(ctx.logDir().resolve("mariadb.err"), ctx.engineUser());
    }

    /**
     * Run by mariadbd at every start, before it accepts connections: Stratum's admin account is {@code osUser} by
     * unix_socket (the instance's own OS user), and the template's {@code root} account is dropped, so no other OS user
     * maps to an admin of this instance.
     */
    static String initFile(String osUser) {
        String admin = MariadbAccounts.literal(osUser) + "@'localhost'";
        return "CREATE USER IF NOT EXISTS " + admin + " IDENTIFIED VIA unix_socket;\n"
                + "GRANT ALL PRIVILEGES ON *.* TO " + admin + " WITH GRANT OPTION;\n"
                + ("root".equals(osUser) ? "" : "DROP USER IF EXISTS 'root'@'localhost';\n");
    }

    @Override
    public void start(InstanceContext ctx) {
        EngineFiles.clearStale(ctx.runDir().resolve("mariadb.pid"), socket(ctx), ctx.dataDir());
        DetachedProcess.start(tools(ctx), List.of(MARIADBD.toString(), "--defaults-file=" + ctx.confDir().resolve("my.cnf")),
                ctx.logDir().resolve("mariadbd.out"), null);
        EngineFiles.awaitSocket(socket(ctx), Duration.ofSeconds(60), () -> pid(ctx), "mariadbd");
    }

    @Override
    public void stop(InstanceContext ctx) {
        long pid = pid(ctx);
        if (EngineFiles.alive(pid)) EngineFiles.terminate(pid, ctx.dataDir(), Duration.ofSeconds(120), "mariadbd");
    }

    @Override
    public ProcessState observe(InstanceContext ctx) {
        return EngineFiles.state(pid(ctx), ctx.dataDir());
    }

    @Override
    public long pid(InstanceContext ctx) {
        return EngineFiles.readPid(ctx.runDir().resolve("mariadb.pid"));
    }

    /**
     * The databases, the master user and the managed users as one account per admitted network each (see
     * {@link MariadbAccounts}) with rights on their databases only, and the same limits on every other account (made by
     * a tenant before these limits existed).
     */
    @Override
    public void bootstrap(InstanceContext ctx) {
        client(ctx).admin(socket(ctx), accounts(ctx) + MariadbAccounts.tenantLimits(ctx.users().adminName()));
    }

    @Override
    public void applyIngress(InstanceContext ctx) {
        client(ctx).admin(socket(ctx), accounts(ctx) + MariadbAccounts.tenantLimits(ctx.users().adminName()));
    }

    @Override
    public void applyUsers(InstanceContext ctx) {
        applyIngress(ctx);
    }

    /** Every account of {@code name} dropped, after its sessions are ended. */
    @Override
    public void dropUser(InstanceContext ctx, String name) {
        client(ctx).admin(socket(ctx), "DELIMITER //\nBEGIN NOT ATOMIC\n  FOR r IN (SELECT ID FROM information_schema.PROCESSLIST WHERE USER = "
                + MariadbAccounts.literal(name) + ") DO\n    KILL CONNECTION r.ID;\n  END FOR;\nEND //\nDELIMITER ;\n"
                + MariadbAccounts.sync(name, "", List.of(), List.of()));
    }

    /** The databases, then the master user (all of them) and each managed user (its own, with its access). */
    private static String accounts(InstanceContext ctx) {
        StringBuilder sql = new StringBuilder();
        List<MariadbAccounts.Grant> master = new java.util.ArrayList<>();
        for (String db : ctx.databases()) {
            sql.append("CREATE DATABASE IF NOT EXISTS ").append(MariadbAccounts.identifier(db)).append(";\n");
            master.add(new MariadbAccounts.Grant(MASTER_GRANTS, db));
        }
        List<String> hosts = MariadbAccounts.hosts(ctx.ingress());
        sql.append(MariadbAccounts.sync(ctx.spec().masterUser(), nativePasswordHash(ctx.masterPassword()), hosts, master));
        for (UserCredentials u : ctx.managedUsers()) {
            sql.append(MariadbAccounts.sync(u.name(), nativePasswordHash(u.password()), hosts,
                    List.of(new MariadbAccounts.Grant(USER_GRANTS.get(u.user().access()), u.user().database()))));
        }
        return sql.toString();
    }

    /** What a managed user may do in its database, by access. */
    static final java.util.Map<ManagedUser.Access, String> USER_GRANTS = java.util.Map.of(
            ManagedUser.Access.READ, "SELECT, SHOW VIEW",
            ManagedUser.Access.WRITE, "SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, SHOW VIEW",
            ManagedUser.Access.OWNER, "ALL PRIVILEGES");

    @Override
    public List<String> observeIngress(InstanceContext ctx) {
        List<String> logins = new java.util.ArrayList<>(List.of(ctx.spec().masterUser()));
        ctx.managedUsers().forEach(u -> logins.add(u.name()));
        String out = client(ctx).admin(socket(ctx), "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user WHERE User IN ("
                + String.join(", ", logins.stream().map(MariadbAccounts::literal).toList()) + ") ORDER BY User, Host;\n");
        List<String> lines = new java.util.ArrayList<>(out.lines().filter(l -> !l.isBlank()).map(l -> "account: " + l).toList());
        MariadbAccounts.unexpressible(ctx.ingress()).forEach(c -> lines.add("not admitted by the engine: " + c
                + " (MariaDB account hosts cannot express an IPv6 network)"));
        return lines;
    }

    /** mysql_native_password's stored form: {@code *} + hex(SHA1(SHA1(password))); the plaintext never reaches the server. */
    static String nativePasswordHash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(once));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void verifyConnection(InstanceContext ctx) {
        try (Connection c = connect(ctx)) {
            c.createStatement().execute("SELECT 1");
        } catch (SQLException e) {
            throw new ToolException("cannot connect to " + ctx.spec().name() + " as " + ctx.spec().masterUser() + ": " + e.getMessage());
        }
    }

    static Connection connect(InstanceContext ctx) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ctx.spec().masterUser());
        p.setProperty("password", ctx.masterPassword());
        p.setProperty("connectTimeout", "10000");
        p.setProperty("socketTimeout", "30000");
        if (ctx.tlsVerified()) {
            p.setProperty("sslMode", "verify-full");
            if (java.nio.file.Files.exists(ctx.tlsCa())) p.setProperty("serverSslCert", ctx.tlsCa().toString());
        } else if (ctx.tlsOn()) {
            p.setProperty("sslMode", "trust");
        }
        if (ctx.healthCheckSource() != null) p.setProperty("localSocketAddress", ctx.healthCheckSource());
        String host = ctx.connectHost().contains(":") ? "[" + ctx.connectHost() + "]" : ctx.connectHost();
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + ctx.spec().port() + "/" + ctx.spec().database(), p);
    }

    @Override
    public void applyLive(InstanceContext ctx, Set<String> changedNames) {
        Map<String, String> settings = settings(ctx.spec());
        StringBuilder sql = new StringBuilder();
        for (String name : changedNames) {
            String v = settings.get(name);
            if (v != null) sql.append("SET GLOBAL ").append(name).append(" = ").append(MariadbSettings.forSetGlobal(name, v)).append(";\n");
        }
        if (!sql.isEmpty()) client(ctx).admin(socket(ctx), sql.toString());
    }

    @Override
    public List<io.stratum.core.backup.TableStat> dump(InstanceContext ctx, java.io.OutputStream out) {
        return MariadbDumps.dump(new ToolRunner(ctx.users().admin()), socket(ctx), ctx.users().adminName(), ctx.spec().database(), out);
    }

    @Override
    public List<io.stratum.core.backup.TableStat> tableStats(InstanceContext ctx, List<io.stratum.core.backup.TableStat> expected) {
        return MariadbDumps.stats(new ToolRunner(ctx.users().admin()), socket(ctx), ctx.users().adminName(), ctx.spec().database(), expected);
    }

    @Override
    public void emptyDatabase(InstanceContext ctx) {
        String db = "`" + ctx.spec().database().replace("`", "``") + "`";
        client(ctx).admin(socket(ctx), "DROP DATABASE IF EXISTS " + db + ";\nCREATE DATABASE " + db + ";\n");
    }

    /**
     * Loads a dump: first into a file in the instance's root-owned directory, which the archive's SHA-256 is checked
     * against at its end, so not one statement runs from an archive changed in the store after its check; then with the
     * client in batch, binary and sandbox mode, so nothing in the dump (a table name holding a newline and
     * {@code \\! command}, say) is read as a client command.
     */
    @Override
    public void restore(InstanceContext ctx, java.io.InputStream in) {
        stageDump(ctx, in);
        restoreStaged(ctx);
    }

    /**
     * The whole dump, written next to the instance (root's, not flushed: a scratch copy) before any of it reaches the
     * engine, so its archive's check at the end has run; for a new instance while it is still being prepared.
     */
    @Override
    public void stageDump(InstanceContext ctx, java.io.InputStream in) {
        discardStaged(ctx);   // what a restore cut short left: never two copies on the disk
        EngineFiles.writeScratch(staged(ctx), in);   // a write that fails leaves nothing behind
    }

    @Override
    public void discardStaged(InstanceContext ctx) {
        Path staged = staged(ctx);
        for (Path p : List.of(staged, staged.resolveSibling("." + staged.getFileName() + ".tmp"))) {
            try {
                java.nio.file.Files.deleteIfExists(p);
            } catch (java.io.IOException ignored) {
                // removed with the instance directory at the latest
            }
        }
    }

    /** Feeds the staged dump to the client ({@code --binary-mode --sandbox}: no client command in it runs), then removes it. */
    @Override
    public void restoreStaged(InstanceContext ctx) {
        Path scratch = staged(ctx);
        try (java.io.InputStream dump = java.nio.file.Files.newInputStream(scratch, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            new ToolRunner(ctx.users().admin()).streamAsUser(List.of("mariadb", "--no-defaults", "--batch", "--binary-mode", "--sandbox",
                    "--socket=" + socket(ctx), "--user=" + ctx.users().adminName(), "--database=" + ctx.spec().database()), null, dump,
                    null, java.time.Duration.ofHours(12));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ToolException("no dump is staged in " + ctx.instanceDir() + " (stage it again: retry the restore)");
        } catch (java.io.IOException e) {
            throw new ToolException("cannot read the dump back from " + scratch + ": " + e.getMessage());
        } finally {
            discardStaged(ctx);
        }
    }

    private static Path staged(InstanceContext ctx) {
        return ctx.instanceDir().resolve("restore.sql");
    }

    @Override
    public void reloadTls(InstanceContext ctx) {
        client(ctx).admin(socket(ctx), "FLUSH SSL;\n");
    }

    @Override
    public Map<String, String> readLive(InstanceContext ctx, Set<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        if (names.isEmpty()) return values;
        List<String> ordered = List.copyOf(names);
        String sql = "SELECT " + String.join(", ", ordered.stream().map(n -> "@@GLOBAL." + n).toList()) + ";\n";
        String[] row = client(ctx).admin(socket(ctx), sql).strip().split("\t", -1);
        for (int i = 0; i < ordered.size() && i < row.length; i++) {
            values.put(ordered.get(i), MariadbSettings.fromServer(ordered.get(i), row[i]));
        }
        return values;
    }

    @Override
    public void setReadOnly(InstanceContext ctx, boolean readOnly) {
        client(ctx).admin(socket(ctx), "SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF") + ";\n");
    }

    @Override
    public List<String> logTail(InstanceContext ctx, int lines) {
        return EngineFiles.tail(ctx.logDir().resolve("mariadb.err"), lines);
    }

    @Override
    public void rotateLogs(InstanceContext ctx, long maxBytes) {
        for (String log : List.of("mariadb.err", "mariadbd.out")) EngineFiles.rotate(ctx.logDir().resolve(log), maxBytes);
    }
}
