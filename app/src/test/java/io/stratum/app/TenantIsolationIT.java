package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The security review's exploit and its relatives, performed as a tenant would: the master user of stack a's instances
 * (through {@code stratum db connect}, the packaged CLI) tries to reach the OS, Stratum's admin account, or stack b's
 * instances; and an engine's own OS user tries to reach another instance's socket, data and keys. Every attempt fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationIT {
    static EngineHarness h;

    @BeforeAll
    static void start() {
        h = new EngineHarness("iso-it", ServerOptions.Engines.defaults().withPortRange("25000-25099"));
        for (String stack : List.of("a", "b")) {
            ok("stack", "create", stack);
            ok("stage", "create", stack + "/p");
            ok("db", "create", stack + "pg", "--engine", "postgres", "--stack", stack, "--stage", "p");
            ok("db", "create", stack + "my", "--engine", "mariadb", "--stack", stack, "--stage", "p");
            ok("db", "create", stack + "rd", "--engine", "redis", "--stack", stack, "--stage", "p");
        }
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    static void ok(String... args) {
        h.ok(args);
    }

    /** {@code stratum db connect NAME [-- ARGS]} with {@code stdin}, as a user runs it. */
    static Proc.Result connect(String name, String stdin, String... clientArgs) {
        List<String> args = new ArrayList<>(List.of("db", "connect", name));
        if (clientArgs.length > 0) {
            args.add("--");
            args.addAll(List.of(clientArgs));
        }
        return ServerProcess.cliWithInput(h.root(), stdin, args.toArray(String[]::new));
    }

    static String osUser(String instance) {
        return h.instance(instance).path("osUser").asText();
    }

    static Proc.Result as(String user, String... argv) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        full.addAll(List.of(argv));
        return Proc.run(full, null, null, null, 30);
    }

    static int port(String instance) {
        return h.instance(instance).path("endpoint").path("port").asInt();
    }

    @Test
    @Order(1)
    void theReviewsExploitFailsAtItsFirstStep() {
        String victimSocket = h.root().resolve("instances/bpg/run").toString();
        Proc.Result r = connect("apg", "\\set ON_ERROR_STOP on\nGRANT pg_execute_server_program TO app;\n"
                + "CREATE TEMP TABLE o(l text);\nCOPY o FROM PROGRAM 'psql -h " + victimSocket + " -p " + port("bpg")
                + " -U stratum_admin -d postgres -Atc \"select current_user, usesuper from pg_user where usename = current_user\"';\n"
                + "SELECT * FROM o;\n");
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("must have admin option on role \"pg_execute_server_program\"");
        assertThat(r.stdout()).doesNotContain("stratum_admin");
    }

    @Test
    @Order(2)
    void postgresMasterUserHasNoOtherRouteToTheServer() {
        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put("COPY (SELECT 1) TO PROGRAM 'id';", "pg_execute_server_program");
        attacks.put("CREATE TEMP TABLE f(l text); COPY f FROM '/etc/passwd';", "pg_read_server_files");
        attacks.put("COPY (SELECT 1) TO '/tmp/stratum-pwned';", "pg_write_server_files");
        attacks.put("SELECT lo_import('/etc/passwd');", "permission denied for function lo_import");
        attacks.put("SELECT lo_export(lo_create(0), '/tmp/stratum-pwned');", "permission denied for function lo_export");
        attacks.put("SELECT pg_read_file('/etc/passwd');", "permission denied for function pg_read_file");
        attacks.put("ALTER SYSTEM SET archive_command = 'id';", "permission denied to set parameter");
        attacks.put("CREATE ROLE sneaky LOGIN;", "permission denied to create role");
        attacks.put("ALTER ROLE app CREATEROLE;", "permission denied");
        attacks.put("SET ROLE stratum_admin;", "permission denied to set role");
        attacks.put("CREATE FUNCTION sh() RETURNS int LANGUAGE c AS 'libc.so.6', 'system';", "permission denied for language c");
        attacks.put("CREATE EXTENSION adminpack;", "Must be superuser");
        attacks.put("CREATE EXTENSION dblink;", "Must be superuser");
        for (var attack : attacks.entrySet()) {
            Proc.Result r = connect("apg", "\\set ON_ERROR_STOP on\n" + attack.getKey() + "\n");
            assertThat(r.exit()).as(attack.getKey()).isNotZero();
            assertThat(r.stderr()).as(attack.getKey()).contains(attack.getValue());
        }
        assertThat(Files.exists(Path.of("/tmp/stratum-pwned"))).isFalse();
        Proc.Result role = connect("apg", "SELECT rolcreaterole, rolsuper, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'app';\n",
                "-At");
        assertThat(role.stdout().strip()).isEqualTo("f|f|f|f");
    }

    @Test
    @Order(3)
    void mariadbMasterUserCannotTakeOverAccountsOrReadFiles() {
        String admin = osUser("amy");
        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put("CREATE USER sneaky@'%' IDENTIFIED BY 'x';", "CREATE USER privilege");
        attacks.put("ALTER USER '" + admin + "'@'localhost' IDENTIFIED BY 'x';", "CREATE USER privilege");
        attacks.put("RENAME USER '" + admin + "'@'localhost' TO 'gone'@'localhost';", "CREATE USER privilege");
        attacks.put("GRANT ALL ON app.* TO 'app'@'%';", "denied");
        attacks.put("SELECT * FROM mysql.global_priv;", "SELECT command denied");
        attacks.put("SELECT * FROM mysql.user;", "SELECT command denied");
        attacks.put("SELECT 1 INTO OUTFILE '/tmp/stratum-pwned';", "FILE privilege");
        attacks.put("CREATE TABLE f(l text); LOAD DATA INFILE '/etc/passwd' INTO TABLE f;", "Access denied");
        attacks.put("SET GLOBAL read_only = 1;", "privilege");
        attacks.put("INSTALL SONAME 'ha_blackhole';", "denied");
        attacks.put("CREATE DATABASE other;", "Access denied");
        for (var attack : attacks.entrySet()) {
            Proc.Result r = connect("amy", attack.getKey() + "\n");
            assertThat(r.exit()).as(attack.getKey()).isNotZero();
            assertThat(r.stderr()).as(attack.getKey()).contains(attack.getValue());
        }
        assertThat(connect("amy", "SELECT LOAD_FILE('/etc/passwd');\n", "-N").stdout().strip()).isEqualTo("NULL");
        String grants = connect("amy", "SHOW GRANTS;\n", "-N").stdout();
        assertThat(grants).contains("GRANT ALL PRIVILEGES ON `app`.*").doesNotContain("WITH GRANT OPTION");
        assertThat(grants.lines().filter(l -> l.contains("ON *.*"))).allMatch(l -> l.startsWith("GRANT USAGE ON *.*"));
        assertThat(Files.exists(Path.of("/tmp/stratum-pwned"))).isFalse();
        // Stratum's admin still works (a backup goes through it)
        ok("backup", "create", "amy");
    }

    @Test
    @Order(4)
    void redisTenantCannotReachConfigModulesOrTheAdminUser() {
        List<List<String>> refused = List.of(List.of("CONFIG", "SET", "dir", "/tmp"), List.of("CONFIG", "GET", "*"),
                List.of("MODULE", "LOAD", "/tmp/x.so"), List.of("DEBUG", "SLEEP", "0"), List.of("ACL", "GETUSER", "stratum-admin"),
                List.of("ACL", "SETUSER", "sneaky", "on", ">x", "+@all"), List.of("ACL", "LIST"), List.of("REPLICAOF", "127.0.0.1", "1"),
                List.of("SAVE"), List.of("BGSAVE"), List.of("SHUTDOWN"), List.of("MIGRATE", "127.0.0.1", "1", "k", "0", "1000"),
                List.of("CLIENT", "KILL", "TYPE", "normal"), List.of("MONITOR"));
        for (List<String> cmd : refused) {
            Proc.Result r = connect("ard", null, cmd.toArray(String[]::new));
            assertThat(r.stdout() + r.stderr()).as(String.join(" ", cmd)).containsAnyOf("NOPERM", "not allowed");
        }
        assertThat(connect("ard", null, "SET", "k", "v").stdout()).contains("OK");
        assertThat(connect("ard", null, "INFO", "server").stdout()).contains("redis_version");
        assertThat(connect("ard", null, "FLUSHDB").stdout()).contains("OK");
    }

    @Test
    @Order(5)
    void anEngineUserCannotReachAnotherInstance() {
        Set<String> users = new HashSet<>();
        for (String i : List.of("apg", "amy", "ard", "bpg", "bmy", "brd")) {
            String u = osUser(i);
            assertThat(u).startsWith("st-");
            assertThat(h.instance(i).path("isolation").asText()).isEqualTo("own-os-user");
            users.add(u);
        }
        assertThat(users).as("one OS user per instance").hasSize(6);
        String a = osUser("apg");
        Path b = h.root().resolve("instances/bpg");
        Proc.Result socket = as(a, "psql", "-h", b.resolve("run").toString(), "-p", String.valueOf(port("bpg")), "-U", "stratum_admin",
                "-d", "postgres", "-c", "select 1");
        assertThat(socket.exit()).isNotZero();
        assertThat(socket.stderr()).contains("Permission denied");
        assertThat(as(a, "ls", b.resolve("data").toString()).stderr()).contains("Permission denied");
        assertThat(as(a, "cat", b.resolve("conf/server.key").toString()).stderr()).contains("Permission denied");
        assertThat(as(a, "cat", h.root().resolve("instances/bmy/conf/my.cnf").toString()).stderr()).contains("Permission denied");
        assertThat(as(a, "cat", h.root().resolve("master.key").toString()).stderr()).contains("Permission denied");
        assertThat(as(a, "cat", h.root().resolve("stratum.db").toString()).stderr()).contains("Permission denied");
        String mariaSocket = h.root().resolve("instances/bmy/run/mariadb.sock").toString();
        assertThat(as(osUser("amy"), "mariadb", "--no-defaults", "--socket=" + mariaSocket, "--user=" + osUser("bmy"), "-e", "select 1")
                .exit()).isNotZero();
        // only the instance's own user is its admin: root is not mapped to stratum_admin any more
        Proc.Result rootPeer = Proc.run(List.of("psql", "-h", b.resolve("run").toString(), "-p", String.valueOf(port("bpg")), "-U",
                "stratum_admin", "-d", "postgres", "-c", "select 1"), null, null, null, 30);
        assertThat(rootPeer.stderr()).contains("Peer authentication failed");
        // every engine process runs as its instance's user
        for (String i : List.of("apg", "amy", "ard")) {
            assertThat(Proc.run("ps", "-o", "uid=", "-p", String.valueOf(enginePid(i))).stdout().strip())
                    .isEqualTo(Proc.run("id", "-u", osUser(i)).stdout().strip());
        }
    }

    static long enginePid(String instance) {
        Path dir = h.root().resolve("instances/" + instance);
        for (Path f : List.of(dir.resolve("data/postmaster.pid"), dir.resolve("run/mariadb.pid"), dir.resolve("run/redis.pid"))) {
            if (Files.exists(f)) {
                try {
                    return Long.parseLong(Files.readAllLines(f).get(0).trim());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no pid file for " + instance);
    }

    @Test
    @Order(6)
    void rolesAndAccountsMadeBeforeTheseRulesLoseTheirRightsAtTheNextReboot() {
        // what a tenant could have set up while its master user still had CREATEROLE / CREATE USER WITH GRANT OPTION
        Path pgRun = h.root().resolve("instances/apg/run");
        as(osUser("apg"), "psql", "-h", pgRun.toString(), "-p", String.valueOf(port("apg")), "-U", "stratum_admin", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE backdoor LOGIN CREATEROLE PASSWORD 'x'; GRANT pg_execute_server_program TO app, "
                        + "backdoor;").requireSuccess("planting roles");
        Path mySock = h.root().resolve("instances/amy/run/mariadb.sock");
        as(osUser("amy"), "mariadb", "--no-defaults", "--socket=" + mySock, "--user=" + osUser("amy"), "-e",
                "CREATE USER backdoor@'%' IDENTIFIED BY 'x'; GRANT ALL ON *.* TO backdoor@'%' WITH GRANT OPTION; "
                        + "GRANT SELECT ON mysql.* TO app@'127.0.0.0/255.0.0.0';").requireSuccess("planting accounts");
        ok("db", "reboot", "apg");
        ok("db", "reboot", "amy");
        String members = as(osUser("apg"), "psql", "-h", pgRun.toString(), "-p", String.valueOf(port("apg")), "-U", "stratum_admin", "-d",
                "postgres", "-At", "-c", "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                        + "WHERE g.rolname = 'pg_execute_server_program'; SELECT rolcreaterole FROM pg_roles WHERE rolname = 'backdoor';")
                .stdout();
        assertThat(members.lines().toList()).containsExactly("0", "f");
        String grants = as(osUser("amy"), "mariadb", "--no-defaults", "-N", "--socket=" + mySock, "--user=" + osUser("amy"), "-e",
                "SHOW GRANTS FOR backdoor@'%'; SELECT count(*) FROM mysql.db WHERE Db = 'mysql';").stdout();
        assertThat(grants).contains("GRANT USAGE ON *.* TO `backdoor`@`%`").doesNotContain("ALL PRIVILEGES").doesNotContain("GRANT OPTION");
        assertThat(grants.strip()).endsWith("0");
    }

    @Test
    @Order(7)
    void aPidFileNeverMakesStratumSignalAnotherProcess() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "300").start();
        try {
            Path pidFile = h.root().resolve("instances/brd/run/redis.pid");
            long redisPid = enginePid("brd");
            // the engine's user rewrites its own pid file to name a root process
            as(osUser("brd"), "sh", "-c", "echo " + bystander.pid() + " > " + pidFile).requireSuccess("rewriting the pid file");
            // the supervisor sees a pid file that does not name the engine: the engine still answers, so it is left alone
            // (a restart would clear the running engine's socket and pid file and orphan it)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    h.api().get("/v1/events?limit=1000").toString().contains("instance.pid-file-mismatch"));
            assertThat(io.stratum.engines.EngineFiles.alive(redisPid)).isTrue();
            assertThat(h.root().resolve("instances/brd/run/redis.sock")).exists();
            EngineHarness.Run stop = h.cli("db", "stop", "brd");
            assertThat(stop.exit()).isNotZero();
            assertThat(bystander.isAlive()).isTrue();
            assertThat(io.stratum.engines.EngineFiles.alive(redisPid)).isTrue();
            Files.writeString(pidFile, redisPid + "\n"); // so that the harness stops the real engine at the end
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    @Order(8)
    void aDeletedInstanceTakesItsOsUserWithIt() {
        String user = osUser("bmy");
        assertThat(Proc.run("id", "-u", user).exit()).isZero();
        ok("db", "delete", "bmy", "--confirm", "bmy", "--skip-final-snapshot");
        assertThat(Proc.run("id", "-u", user).exit()).isNotZero();
    }

    @Test
    @Order(9)
    void anInstanceOfTheSharedUserMovesToItsOwnAtItsNextStart() {
        ok("db", "stop", "bpg");
        Path dir = h.root().resolve("instances/bpg");
        Proc.run("chown", "-R", "stratum:stratum", dir.toString()).requireSuccess("making a legacy instance");
        assertThat(h.instance("bpg").path("osUser").asText()).isEqualTo("stratum");
        assertThat(h.instance("bpg").path("isolation").asText()).startsWith("shared-os-user");
        ok("db", "start", "bpg");
        JsonNode after = h.instance("bpg");
        assertThat(after.path("osUser").asText()).startsWith("st-");
        assertThat(after.path("isolation").asText()).isEqualTo("own-os-user");
        assertThat(h.client("bpg", "select 1").stdout().strip()).isEqualTo("1");
        assertThat(Proc.run("stat", "-c", "%U %a", dir.toString()).stdout().strip()).isEqualTo("root 711");
    }

    @Test
    @Order(10)
    void aRestoreNeverRunsClientCommandsFromTheDump() throws Exception {
        Path pwned = Path.of("/tmp/stratum-sandbox-pwned");
        Files.deleteIfExists(pwned);
        // the mariadb-dump CVE-2024-21096 shape: a table name that starts a line with a client command
        String table = "`x\n\\! touch " + pwned + "\ny`";
        connect("amy", "CREATE TABLE " + table + " (a int);\nINSERT INTO " + table + " VALUES (1);\n").requireSuccess("creating the crafted table");
        ok("backup", "create", "amy");
        String id = h.api().get("/v1/backups?instance=amy").get(0).path("id").asText();
        ok("backup", "restore", id, "--to", "amy2");
        assertThat(Files.exists(pwned)).as("a client command in the dump ran").isFalse();
        assertThat(h.client("amy2", "SELECT count(*) FROM " + table).stdout().strip()).isEqualTo("1");
    }

    @Test
    @Order(11)
    void linksPlantedByTheEngineUserAreNeverFollowedByARestore() throws Exception {
        h.client("ard", "SET", "kept", "yes");
        ok("backup", "create", "ard");
        String id = h.api().get("/v1/backups?instance=ard").get(0).path("id").asText();
        Path victim = Files.writeString(Path.of("/tmp/stratum-link-victim"), "victim\n");
        Path data = h.root().resolve("instances/ard/data");
        as(osUser("ard"), "ln", "-sf", victim.toString(), data.resolve(".dump.rdb.tmp").toString()).requireSuccess("planting a link");
        as(osUser("ard"), "ln", "-sf", victim.toString(), data.resolve("dump.rdb").toString()).requireSuccess("planting a link");
        try {
            ok("backup", "restore", id, "--into", "ard", "--confirm", "ard");
            assertThat(Files.readString(victim)).isEqualTo("victim\n");
            assertThat(Proc.run("stat", "-c", "%U", victim.toString()).stdout().strip()).isEqualTo("root");
            assertThat(Files.isSymbolicLink(data.resolve("dump.rdb"))).isFalse();
            assertThat(h.client("ard", "GET", "kept").stdout().strip()).isEqualTo("yes");
        } finally {
            Files.deleteIfExists(victim);
        }
    }

    @Test
    @Order(12)
    void aSuperuserSessionNeverResolvesATenantsFunctions() throws Exception {
        Path pwned = Path.of("/tmp/stratum-search-path-pwned");
        Files.deleteIfExists(pwned);
        // functions that would shadow the built-ins a backup's checksum session and a restore call, and act only as a superuser
        String attack = "\\set ON_ERROR_STOP on\nCREATE TABLE victim (id int8, v text); INSERT INTO victim VALUES (1, 'x');\n"
                + "CREATE FUNCTION public.hashtextextended(text, integer) RETURNS bigint LANGUAGE plpgsql AS $f$ BEGIN "
                + "IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN COPY (SELECT 1) TO PROGRAM 'touch " + pwned + "'; END IF; "
                + "RETURN 0; END $f$;\n"
                + "CREATE FUNCTION public.hash_record_extended(public.victim, integer) RETURNS bigint LANGUAGE plpgsql AS $f$ BEGIN "
                + "IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN COPY (SELECT 1) TO PROGRAM 'touch " + pwned + "'; END IF; "
                + "RETURN 0; END $f$;\n"
                + "CREATE FUNCTION public.guard(int8) RETURNS boolean LANGUAGE plpgsql AS $f$ BEGIN RESET ROLE; "
                + "IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN COPY (SELECT 1) TO PROGRAM 'touch " + pwned + "'; END IF; "
                + "RETURN true; END $f$;\n"
                + "ALTER TABLE victim ADD CONSTRAINT checked CHECK (public.guard(id));\n"
                + "ALTER DATABASE app SET search_path = public, pg_catalog;\n";
        connect("apg", attack).requireSuccess("the tenant's trap");
        ok("backup", "create", "apg");
        String id = h.api().get("/v1/backups?instance=apg").get(0).path("id").asText();
        ok("backup", "verify", id);
        ok("backup", "restore", id, "--to", "apg2");
        assertThat(Files.exists(pwned)).as("a tenant's function ran as a superuser").isFalse();
        assertThat(h.client("apg2", "SELECT count(*) FROM victim").stdout().strip()).isEqualTo("1");
    }

    @Test
    @Order(13)
    void whateverAnEngineUserLeftRunningDiesWithTheInstance() throws Exception {
        String user = osUser("apg2");
        Proc.Result daemon = as(user, "sh", "-c", "setsid -f sleep 600 </dev/null >/dev/null 2>&1");
        assertThat(daemon.exit()).isZero();
        assertThat(Proc.run("pgrep", "-u", user, "sleep").exit()).isZero();
        ok("db", "delete", "apg2", "--confirm", "apg2", "--skip-final-snapshot");
        assertThat(Proc.run("pgrep", "-u", user, "sleep").exit()).as("the user's leftover process").isNotZero();
        assertThat(Proc.run("id", "-u", user).exit()).isNotZero();
    }

    @Test
    @Order(14)
    void systemDatabaseNamesAndGrantWildcardsCannotWidenTheMastersRights() {
        EngineHarness.Run reserved = h.cli("db", "create", "sysdb", "--engine", "mariadb", "--database", "mysql");
        assertThat(reserved.exit()).isEqualTo(2);
        assertThat(reserved.err()).contains("database").contains("reserved");
        // '_' is a wildcard in a database-level grant: mysq_ must not cover mysql
        ok("db", "create", "wild", "--engine", "mariadb", "--stack", "a", "--stage", "p", "--database", "mysq_");
        assertThat(connect("wild", "SELECT count(*) FROM mysql.global_priv;\n").stderr()).contains("SELECT command denied");
        // batch output escapes the backslash: the grant is on `mysq\_`, the literal name, not the pattern
        assertThat(connect("wild", "SHOW GRANTS;\n", "-N").stdout()).contains("ON `mysq\\\\_`.*");
        ok("db", "delete", "wild", "--confirm", "wild", "--skip-final-snapshot");
    }

    @Test
    @Order(15)
    void templatesBelongToRootSoNoEngineUserCanChangeWhatLaterInstancesCopy() {
        for (String t : List.of("postgres-15", "mariadb-10.11-root")) {
            assertThat(Proc.run("stat", "-c", "%U", h.root().resolve("templates").resolve(t).toString()).stdout().strip()).isEqualTo("root");
            assertThat(Proc.run("find", h.root().resolve("templates").resolve(t).toString(), "!", "-user", "root").stdout()).isEmpty();
        }
    }

    @Test
    @Order(16)
    void nothingInTheHomeIsReadableOrWritableByAnotherUser() throws Exception {
        Path home = h.root();
        assertThat(Proc.run("stat", "-c", "%a", home.resolve("stratum.db").toString()).stdout().strip()).isEqualTo("600");
        List<String> exposed = new ArrayList<>();
        try (var paths = Files.walk(home)) {
            for (Path p : paths.toList()) {
                if (!reachableByOthers(home, p)) continue;
                var mode = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (Files.isSymbolicLink(p)) continue;
                if (mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                        || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                    exposed.add(p + " " + java.nio.file.attribute.PosixFilePermissions.toString(mode));
                }
            }
        }
        assertThat(exposed).as("paths another user can reach and read or write").isEmpty();
    }

    /** True when every directory from the home down to {@code p}'s parent lets others pass (o+x). */
    static boolean reachableByOthers(Path home, Path p) throws java.io.IOException {
        for (Path d = p.getParent(); d != null && d.startsWith(home); d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }
}
