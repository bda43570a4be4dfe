package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.testkit.Proc;
import io.stratum.testkit.TestHome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A control plane that does not run as root cannot give instances OS users of their own: it says so in {@code db show}
 * and refuses a second stack's instances unless it runs with {@code --single-tenant}. The packaged server runs here as
 * an unprivileged user made for the test.
 */
class NonRootIT {
    /** A name a managed user could have: Stratum's admin login (the control plane's user) must be refused as one. */
    static final String USER = "itnonroot";
    static TestHome home;

    @BeforeAll
    static void user() {
        if (Proc.run("id", "-u", USER).exit() != 0) {
            Proc.run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", USER)
                    .requireSuccess("creating the test user");
        }
        home = TestHome.create("nonroot-it");
        Proc.run("chown", USER + ":" + USER, home.root().toString()).requireSuccess("giving the home to the test user");
    }

    @AfterAll
    static void cleanUp() {
        Proc.run("pkill", "-9", "-u", USER);
        if (home != null) home.close();
        Proc.run("userdel", "--force", USER);
    }

    static List<String> asUser() {
        return List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--", "env", "HOME=/nonexistent");
    }

    static Proc.Result cli(String... args) {
        return ServerProcess.cli(home.root(), args);
    }

    @Test
    void instancesOfOneStackOnlyUnlessSingleTenant() throws Exception {
        Path root = home.root();
        Path logs = root.resolve("test-logs");
        String canary = "canary-" + System.nanoTime();
        try (ServerProcess server = ServerProcess.start(asUser(), root, logs, "nonroot", List.of("--port-range", "25100-25199"),
                java.util.Map.of("STRATUM_STORE_PASSWORD", canary, "AWS_SECRET_ACCESS_KEY", canary))) {
            for (String s : List.of("a", "b")) {
                cli("stack", "create", s).requireSuccess("stack");
                cli("stage", "create", s + "/p").requireSuccess("stage");
            }
            cli("db", "create", "x", "--engine", "postgres", "--stack", "a", "--stage", "p").requireSuccess("first stack's instance");
            cli("db", "create", "x2", "--engine", "redis", "--stack", "a", "--stage", "p").requireSuccess("same stack, another instance");
            Proc.Result second = cli("db", "create", "y", "--engine", "redis", "--stack", "b", "--stage", "p");
            assertThat(second.exit()).as(second.stderr()).isEqualTo(4);
            assertThat(second.stderr()).contains("does not run as root").contains("--single-tenant");
            assertThat(cli("db", "show", "y").exit()).isEqualTo(3);
            String show = cli("db", "show", "x", "-o", "json").stdout();
            assertThat(show).contains("\"osUser\" : \"" + USER + "\"").contains("\"isolation\" : \"none: the control plane does not run as root");
            assertThat(Proc.run("ps", "-o", "user=", "-u", USER).stdout()).isNotBlank();
            // nothing of the control plane's environment reaches an engine (whose user could read it in /proc)
            String pid = java.nio.file.Files.readAllLines(root.resolve("instances/x/data/postmaster.pid")).get(0).trim();
            String environ = java.nio.file.Files.readString(Path.of("/proc", pid, "environ")).replace('\0', '\n');
            assertThat(environ).doesNotContain(canary).doesNotContain("STRATUM_").contains("PATH=");
            // a managed user named after Stratum's admin login would replace (MariaDB: drop) the admin's account
            Proc.Result takeover = cli("db", "user", "create", USER, "--instance", "x");
            assertThat(takeover.exit()).as(takeover.stderr()).isEqualTo(2);
            assertThat(takeover.stderr()).contains("reserved");
            Proc.Result master = cli("db", "create", "x3", "--engine", "mariadb", "--stack", "a", "--stage", "p", "--master-user", USER);
            assertThat(master.exit()).as(master.stderr()).isEqualTo(2);
            assertThat(master.stderr()).contains("masterUser").contains("administers");
        }
        try (ServerProcess server = ServerProcess.start(asUser(), root, logs, "nonroot-single", List.of("--port-range", "25100-25199",
                "--single-tenant"))) {
            cli("db", "create", "y", "--engine", "redis", "--stack", "b", "--stage", "p").requireSuccess("--single-tenant allows it");
            for (String i : List.of("x", "x2", "y")) cli("db", "delete", i, "--confirm", i, "--skip-final-snapshot").requireSuccess("delete");
        }
    }
}
