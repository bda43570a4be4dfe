package io.stratum.engines.postgres;

import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParameterCatalog;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.Templates;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** PostgreSQL from Debian's packages (15, and any other major under /usr/lib/postgresql). */
public final class PostgresProvider implements EngineProvider {
    static final Path ROOT = Path.of("/usr/lib/postgresql");

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("postgresql", "PostgreSQL");
    }

    @Override
    public List<String> versions() {
        if (!Files.isDirectory(ROOT)) return List.of();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/postgres")) && Files.isExecutable(d.resolve("bin/initdb")))
                    .map(d -> d.getFileName().toString())
                    .sorted(Comparator.comparingInt((String v) -> Integer.parseInt(v.replaceAll("\\D.*", "0"))).reversed())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.BACKUP, Capability.STAGED_RESTORE, Capability.EXTERNAL_BACKUP, Capability.EXTERNAL_TLS, Capability.LIVE_PARAMS,
                Capability.READ_ONLY, Capability.TEMPLATE_CLONE, Capability.MANAGED_USERS, Capability.TLS, Capability.BULK_LOAD, Capability.REPLICAS);
    }

    @Override
    public io.stratum.core.engine.ContractBlock contract() {
        return new io.stratum.core.engine.ContractBlock("PG", "postgres", "postgres", "?sslmode=require",
                "?sslmode=verify-full&sslrootcert={ca}", "DATABASE_URL", 0, true);
    }

    @Override
    public io.stratum.core.engine.ClientCommand client() {
        // libpq reads a -d value with '=' as a whole connection string: the names go by environment, read as plain values
        return new io.stratum.core.engine.ClientCommand(List.of("psql"), java.util.Map.of("PGHOST", "{host}", "PGPORT", "{port}",
                "PGUSER", "{user}", "PGDATABASE", "{database}"), "PGPASSWORD", List.of(),
                java.util.Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", "{ca}"));
    }

    @Override
    public java.util.Optional<String> externalDefaultDatabase() {
        return java.util.Optional.of("postgres");
    }

    @Override
    public List<String> features() {
        return List.of("template-clone", "live-params", "read-only", "scram-verifiers");
    }

    @Override
    public ParameterCatalog parameters() {
        return PostgresSettings.CATALOG;
    }

    @Override
    public Map<String, String> settings(InstanceSpec spec) {
        return PostgresSettings.render(spec);
    }

    private static ToolRunner tools(InstanceContext ctx) {
        return new ToolRunner(ctx.engineUser());
    }

    private static PgCtl pgCtl(InstanceContext ctx) {
        return new PgCtl(tools(ctx), binDir(ctx));
    }

    /** Stratum's admin role over the instance's socket, as the one OS user its pg_ident.conf maps to that role. */
    static Psql admin(InstanceContext ctx) {
        return new Psql(new ToolRunner(ctx.users().admin()));
    }

    @Override
    public void prepareData(InstanceContext ctx) {
        Path template = Templates.ensure(ctx.templatesDir(), "postgres-" + ctx.spec().version(), ctx.users().template(),
                dir -> buildTemplate(ctx, dir));
        Templates.cloneInto(tools(ctx), template.resolve("data"), ctx.dataDir(), "PG_VERSION", ctx.engineUser());
    }

    /** Database created in the template, so the usual create needs no CREATE DATABASE (a copy plus a checkpoint). */
    static final String TEMPLATE_DATABASE = "app";

    /** initdb, then the default database, created once while the template runs briefly on its own socket only. */
    private void buildTemplate(InstanceContext ctx, Path dir) {
        String owner = ctx.users().template();
        PgCtl ctl = new PgCtl(new ToolRunner(owner), binDir(ctx));
        Path data = dir.resolve("data");
        ctl.initdb(data);
        Path conf = dir.resolve("template.conf");
        EngineFiles.writeOwned(conf, "listen_addresses = ''\nport = 5432\nunix_socket_directories = '" + dir + "'\n"
                + "hba_file = '" + data.resolve("pg_hba.conf") + "'\nident_file = '" + dir.resolve("pg_ident.conf") + "'\n", owner);
        EngineFiles.writeOwned(dir.resolve("pg_ident.conf"), identMap(ctx.controlUser()), owner);
        EngineFiles.writeOwned(data.resolve("pg_hba.conf"), "local all " + Psql.ADMIN + " peer map=stratum\n", owner);
        ctl.start(data, conf, dir.resolve("template.log"));
        try {
            new Psql(new ToolRunner(null)).admin(dir, 5432, "CREATE DATABASE " + ident(TEMPLATE_DATABASE) + ";\n");
        } finally {
            ctl.stop(data);
        }
    }

    /** pg_ident.conf: exactly one OS user is Stratum's admin role (the instance's own user when it has one). */
    static String identMap(String osUser) {
        return "# Written by Stratum: the only OS user mapped to " + Psql.ADMIN + ".\nstratum " + osUser + " " + Psql.ADMIN + "\n";
    }

    @Override
    public void writeConfig(InstanceContext ctx) {
        InstanceSpec s = ctx.spec();
        StringBuilder conf = new StringBuilder("# Written by Stratum from the instance's spec; changes here are overwritten.\n");
        conf.append("listen_addresses = '").append(ctx.bindAddress()).append("'\n");
        conf.append("port = ").append(s.port()).append('\n');
        conf.append("unix_socket_directories = '").append(ctx.runDir()).append("'\n");
        conf.append("unix_socket_permissions = 0700\n");
        conf.append("hba_file = '").append(ctx.confDir().resolve("pg_hba.conf")).append("'\n");
        conf.append("ident_file = '").append(ctx.confDir().resolve("pg_ident.conf")).append("'\n");
        conf.append("password_encryption = scram-sha-256\n");
        conf.append("ssl = ").append(ctx.tlsOn() ? "on" : "off").append('\n');
        if (ctx.tlsOn()) {
            conf.append("ssl_cert_file = '").append(ctx.tlsCertificate()).append("'\n");
            conf.append("ssl_key_file = '").append(ctx.tlsKey()).append("'\n");
        }
        conf.append("log_line_prefix = '%m [%p] %q%u@%d '\n");
        settings(s).forEach((k, v) -> conf.append(k).append(" = '").append(v).append("'\n"));
        conf.append(PgReplication.slotLimit(s));
        if (ctx.replication() != null) conf.append(PgReplication.standbyConfig(ctx));
        else PgReplication.removePassfile(ctx);
        conf.append(PgBulkLoad.includeLine());
        PgBulkLoad.removeSettings(ctx);
        EngineFiles.writeOwned(ctx.confDir().resolve("postgresql.conf"), conf.toString(), ctx.engineUser());
        writeHba(ctx);
        EngineFiles.writeOwned(ctx.confDir().resolve("pg_ident.conf"), identMap(ctx.users().adminName()), ctx.engineUser());
    }

    /**
     * The master user on every database of the instance, each managed user on its own, from the admitted networks; and
     * the master user on the instance's own socket too (0700: only the engine's user reaches it), for restores.
     */
    private static void writeHba(InstanceContext ctx) {
        PgHba.Login master = new PgHba.Login(ctx.spec().masterUser(), ctx.databases());
        List<PgHba.Login> logins = new java.util.ArrayList<>(List.of(master));
        ctx.managedUsers().forEach(u -> logins.add(new PgHba.Login(u.name(), List.of(u.user().database()))));
        EngineFiles.writeOwned(ctx.confDir().resolve("pg_hba.conf"), PgHba.render(master, logins, ctx.ingress(), ctx.tlsRequired()),
                ctx.engineUser());
    }

    @Override
    public void applyUsers(InstanceContext ctx) {
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), PgUsers.apply(ctx.spec().masterUser(), ctx.managedUsers()));
        applyIngress(ctx);
    }

    @Override
    public void dropUser(InstanceContext ctx, String name) {
        applyIngress(ctx); // first no pg_hba line admits it (ctx no longer has the user), so a pool cannot log in again
        Psql psql = admin(ctx);
        // every database it may own something in, its own too (the user is gone from ctx, so ctx.databases() may lack it);
        // only names Stratum could have made, so no database name a tenant chose reaches a psql meta-command
        List<String> databases = psql.admin(ctx.runDir(), ctx.spec().port(), "SELECT datname FROM pg_database WHERE datallowconn "
                + "AND NOT datistemplate AND datname ~ '^[a-z_][a-z0-9_]*$' ORDER BY datname;").lines().filter(l -> !l.isBlank()).toList();
        psql.admin(ctx.runDir(), ctx.spec().port(), PgUsers.drop(ctx.spec().masterUser(), name, databases));
    }

    @Override
    public void applyIngress(InstanceContext ctx) {
        writeHba(ctx);
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), "SELECT pg_reload_conf();");
    }

    @Override
    public List<String> observeIngress(InstanceContext ctx) {
        String out = admin(ctx).admin(ctx.runDir(), ctx.spec().port(),
                "SELECT type, array_to_string(database, ','), array_to_string(user_name, ','), concat_ws(' mask ', address, netmask), "
                        + "coalesce(auth_method, error) "
                        + "FROM pg_hba_file_rules ORDER BY line_number;");
        return out.lines().filter(l -> !l.isBlank()).map(l -> "pg_hba: " + l.replace(Psql.FIELD, " ").replaceAll(" +", " ").trim()).toList();
    }

    /** {@link PgBulkLoad}: {@code wal_level = minimal} while pg_restore fills a new instance. */
    @Override
    public void beginBulkLoad(InstanceContext ctx) {
        PgBulkLoad.begin(this, ctx);
    }

    @Override
    public void endBulkLoad(InstanceContext ctx) {
        PgBulkLoad.end(this, ctx);
    }

    @Override
    public void start(InstanceContext ctx) {
        pgCtl(ctx).start(ctx.dataDir(), ctx.confDir().resolve("postgresql.conf"), ctx.logDir().resolve("postgresql.log"));
    }

    @Override
    public void stop(InstanceContext ctx) {
        if (observe(ctx) == ProcessState.RUNNING) pgCtl(ctx).stop(ctx.dataDir());
    }

    @Override
    public ProcessState observe(InstanceContext ctx) {
        return EngineFiles.state(pid(ctx), ctx.dataDir());
    }

    @Override
    public long pid(InstanceContext ctx) {
        return EngineFiles.readPid(ctx.dataDir().resolve("postmaster.pid"));
    }

    /**
     * The master role (LOGIN, CREATEDB, owner of its database; never CREATEROLE, which on PostgreSQL 15 can grant itself
     * {@code pg_execute_server_program} and run shell commands), the database, and the same limits enforced on every
     * other role a tenant may have made before these limits existed.
     */
    @Override
    public void bootstrap(InstanceContext ctx) {
        InstanceSpec s = ctx.spec();
        String user = ident(s.masterUser());
        String sql = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal(s.masterUser()) + ") THEN "
                + "CREATE ROLE " + user + " LOGIN; END IF; END $$;\n"
                + "ALTER ROLE " + user + " LOGIN CREATEDB NOCREATEROLE NOSUPERUSER NOREPLICATION NOBYPASSRLS PASSWORD "
                + literal(ScramVerifier.of(ctx.masterPassword())) + ";\n"
                + (s.database().equals(TEMPLATE_DATABASE) ? "ALTER DATABASE " + ident(TEMPLATE_DATABASE) + " OWNER TO " + user + ";\n" : "")
                + "SELECT 'CREATE DATABASE " + ident(s.database()).replace("'", "''") + " OWNER " + user.replace("'", "''")
                + "' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = " + literal(s.database()) + ") \\gexec\n"
                + TENANT_LIMITS + PgUsers.apply(s.masterUser(), ctx.managedUsers());
        admin(ctx).admin(ctx.runDir(), s.port(), sql);
    }

    /**
     * No role but Stratum's admin may create roles, replicate, bypass row security, or be a member of the roles that
     * reach the server's files and programs; run at every bootstrap, so roles made before these rules lose those rights.
     */
    static final String TENANT_LIMITS = "DO $$ DECLARE r record; BEGIN\n"
            + "  FOR r IN SELECT rolname FROM pg_roles WHERE rolname <> '" + Psql.ADMIN + "' AND rolname !~ '^pg_' "
            + "AND (rolsuper OR rolcreaterole OR (rolreplication AND rolname <> '" + io.stratum.core.engine.ReplicationLink.USER + "') "
            + "OR rolbypassrls) LOOP\n"
            + "    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEROLE NOBYPASSRLS', r.rolname);\n"
            + "    IF r.rolname <> '" + io.stratum.core.engine.ReplicationLink.USER + "' THEN "
            + "EXECUTE format('ALTER ROLE %I NOREPLICATION', r.rolname); END IF;\n"
            + "  END LOOP;\n"
            + "  FOR r IN SELECT g.rolname AS granted, m.rolname AS member FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
            + "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname IN ('pg_execute_server_program', 'pg_read_server_files', "
            + "'pg_write_server_files', 'pg_signal_backend', 'pg_checkpoint') AND m.rolname <> '" + Psql.ADMIN + "' LOOP\n"
            + "    EXECUTE format('REVOKE %I FROM %I CASCADE', r.granted, r.member);\n"
            + "  END LOOP;\n"
            + "END $$;\n";

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
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("loginTimeout", "15");
        p.setProperty("sslmode", ctx.tlsOn() ? (ctx.tlsVerified() ? "verify-full" : "require") : "disable");
        if (ctx.tlsVerified()) {
            // an external's certificate: against the CA given for it, else the JVM's trusted CAs; host name checked either way
            if (java.nio.file.Files.exists(ctx.tlsCa())) p.setProperty("sslrootcert", ctx.tlsCa().toString());
            else p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
        if (ctx.healthCheckSource() != null) p.setProperty("localSocketAddress", ctx.healthCheckSource());
        // the database is percent-encoded: pgjdbc decodes it, and nothing in it can start the URL's parameters
        return DriverManager.getConnection("jdbc:postgresql://" + hostForUrl(ctx.connectHost()) + ":" + ctx.spec().port() + "/"
                + java.net.URLEncoder.encode(ctx.spec().database(), java.nio.charset.StandardCharsets.UTF_8), p);
    }

    static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void applyLive(InstanceContext ctx, Set<String> changedNames) {
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), "SELECT pg_reload_conf();");
    }

    @Override
    public List<io.stratum.core.backup.TableStat> dump(InstanceContext ctx, java.io.OutputStream out) {
        return PgDumps.dumpPreferringDirectory(PgDumps.local(ctx, binDir(ctx)), ctx.instanceDir().resolve("backup.d"), ctx.users().admin(),
                EngineFiles.treeBytes(ctx.dataDir()), out);
    }

    @Override
    public List<io.stratum.core.backup.TableStat> tableStats(InstanceContext ctx, List<io.stratum.core.backup.TableStat> expected) {
        return PgTableStats.stats(PgDumps.local(ctx, binDir(ctx)), expected);
    }

    /** An external database through its tunnel, as its master user, with the newest tools installed (pg_dump reads older servers). */
    @Override
    public List<io.stratum.core.backup.TableStat> dumpExternal(InstanceContext ctx, java.io.OutputStream out) {
        List<String> installed = versions();
        if (installed.isEmpty()) throw new ToolException("no PostgreSQL client tools are installed (run 'bin/stratum setup')");
        return PgDumps.dump(PgDumps.external(ctx, ROOT.resolve(installed.get(0)).resolve("bin")), out);
    }

    @Override
    public void emptyDatabase(InstanceContext ctx) {
        String db = ident(ctx.spec().database());
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE);\nCREATE DATABASE " + db
                + " OWNER " + ident(ctx.spec().masterUser()) + ";");
    }

    @Override
    public void restore(InstanceContext ctx, java.io.InputStream in) {
        stageDump(ctx, in);
        restoreStaged(ctx);
    }

    @Override
    public void stageDump(InstanceContext ctx, java.io.InputStream in) {
        PgDumps.stage(in, ctx.instanceDir(), ctx.users().admin());
    }

    @Override
    public void discardStaged(InstanceContext ctx) {
        PgDumps.discardStaged(ctx.instanceDir());
    }

    @Override
    public void restoreStaged(InstanceContext ctx) {
        PgDumps.loadStaged(PgDumps.asMaster(ctx, binDir(ctx)), ctx.instanceDir());
    }

    private static java.nio.file.Path binDir(InstanceContext ctx) {
        return ROOT.resolve(ctx.spec().version()).resolve("bin");
    }

    @Override
    public java.util.Optional<String> replicaProblem(InstanceSpec source, InstanceSpec replica) {
        return PgReplication.problem(source, replica);
    }

    /** The replication role and the replica's slot; pg_hba.conf rewritten (it admits the role from this host) and reloaded. */
    @Override
    public void prepareReplicationSource(InstanceContext source, io.stratum.core.engine.ReplicationLink link) {
        writeHba(source);
        admin(source).admin(source.runDir(), source.spec().port(), PgReplication.prepareSql(link) + "SELECT pg_reload_conf();\n");
    }

    @Override
    public void seedReplica(InstanceContext replica) {
        PgReplication.seed(tools(replica), binDir(replica), replica);
    }

    @Override
    public void dropReplicaSlot(InstanceContext source, String replica) {
        admin(source).admin(source.runDir(), source.spec().port(), PgReplication.dropSql(replica));
    }

    @Override
    public void keepReplicaSlots(InstanceContext source, Set<String> replicas) {
        Set<String> keep = replicas.stream().map(PgReplication::slotName).collect(Collectors.toSet());
        String out = admin(source).admin(source.runDir(), source.spec().port(),
                "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'stratum\\_%' ORDER BY 1;");
        out.lines().filter(l -> !l.isBlank() && !keep.contains(l.strip()))
                .forEach(slot -> admin(source).admin(source.runDir(), source.spec().port(), PgReplication.dropSlotSql(slot.strip())));
    }

    @Override
    public void promote(InstanceContext replica) {
        admin(replica).admin(replica.runDir(), replica.spec().port(), PgReplication.PROMOTE_SQL);
    }

    @Override
    public io.stratum.core.engine.ReplicationState replicationState(InstanceContext source, InstanceContext replica) {
        return PgReplication.parseState(admin(source).admin(source.runDir(), source.spec().port(),
                PgReplication.stateSql(replica.spec().name())));
    }

    @Override
    public void reloadTls(InstanceContext ctx) {
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), "SELECT pg_reload_conf();");
    }

    @Override
    public Map<String, String> readLive(InstanceContext ctx, Set<String> names) {
        if (names.isEmpty()) return Map.of();
        String in = names.stream().map(PostgresProvider::literal).collect(Collectors.joining(","));
        String out = admin(ctx).admin(ctx.runDir(), ctx.spec().port(),
                "SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name IN (" + in + ");");
        Map<String, String> values = new LinkedHashMap<>();
        // not strip(): the unit separator is whitespace to Java, and the last row's empty unit would go with it
        for (String line : out.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split(Psql.FIELD, -1);
            values.put(f[0], PostgresSettings.fromPgSettings(f[1], f[2]));
        }
        return values;
    }

    @Override
    public void setReadOnly(InstanceContext ctx, boolean readOnly) {
        String sql = readOnly ? "ALTER SYSTEM SET default_transaction_read_only = on;\nSELECT pg_reload_conf();\n"
                : "ALTER SYSTEM RESET default_transaction_read_only;\nSELECT pg_reload_conf();\n";
        admin(ctx).admin(ctx.runDir(), ctx.spec().port(), sql);
    }

    @Override
    public List<String> logTail(InstanceContext ctx, int lines) {
        return EngineFiles.tail(ctx.logDir().resolve("postgresql.log"), lines);
    }

    @Override
    public void rotateLogs(InstanceContext ctx, long maxBytes) {
        for (String log : List.of("postgresql.log")) EngineFiles.rotate(ctx.logDir().resolve(log), maxBytes);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
