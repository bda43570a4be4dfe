package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratum.cli.StratumCli;
import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.stratum.testkit.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a real server: output formats, exit codes 0/1/2/3/4, help and completion. */
class CliTest {
    @TempDir
    static Path home;
    static StratumServer server;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeAll
    static void start() {
        server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Run cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StratumCli.commandLine(env, new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run cli(String... args) {
        return cli(Map.of("STRATUM_HOME", home.toString()), args);
    }

    @Test
    void createsAndListsWithTheDesignJsonShapes() throws Exception {
        assertThat(cli("stack", "create", "shop").exit()).isZero();
        Run stage = cli("stage", "create", "shop/prod", "-o", "json");
        assertThat(stage.exit()).isZero();
        assertThat(stage.json().path("address").asText()).isEqualTo("shop/prod");
        Run list = cli("stage", "list", "-o", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().isArray()).isTrue();
        assertThat(list.json().findValuesAsText("address")).contains("shop/prod");
        Run table = cli("stage", "list", "shop");
        assertThat(table.out()).contains("STACK").contains("prod");
        Run stacks = cli("--home", home.toString(), "stack", "list", "-o", "json");
        assertThat(stacks.json().findValuesAsText("name")).contains("shop");
    }

    @Test
    void exitCodesFollowTheDesign() {
        cli("stack", "create", "exits");
        Run invalid = cli("stack", "create", "Bad_Name");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("name:").contains("lowercase");
        Run badAddress = cli("stage", "create", "noslash");
        assertThat(badAddress.exit()).isEqualTo(2);
        assertThat(badAddress.err()).contains("STACK/STAGE");
        assertThat(cli("stack", "show", "ghost").exit()).isEqualTo(3);
        assertThat(cli("op", "show", "op-nothing").exit()).isEqualTo(3);
        Run conflict = cli("stack", "create", "exits");
        assertThat(conflict.exit()).isEqualTo(4);
        assertThat(conflict.err()).contains("already exists");
        cli("stage", "create", "exits/dev");
        Run hasStages = cli("stack", "delete", "exits");
        assertThat(hasStages.exit()).isEqualTo(4);
        assertThat(hasStages.err()).contains("stratum stage delete exits/STAGE");
        assertThat(cli("stack", "create").exit()).isEqualTo(2);
        assertThat(cli("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void permissionErrorsExitTwoAndChangeNothing() throws Exception {
        cli("stack", "create", "perm");
        Run reader = cli("token", "create", "--name", "viewer", "--role", "reader", "-o", "json");
        assertThat(reader.exit()).isZero();
        String secret = reader.json().path("token").asText();
        Map<String, String> env = new HashMap<>(Map.of("STRATUM_HOME", home.toString(), "STRATUM_TOKEN", secret));
        Run denied = cli(env, "stage", "create", "perm/prod");
        assertThat(denied.exit()).isEqualTo(2);
        assertThat(denied.err()).contains("role reader");
        assertThat(cli("stage", "list", "perm", "-o", "json").json()).isEmpty();
        env.put("STRATUM_TOKEN", "stm_wrong");
        Run wrong = cli(env, "stack", "list");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("unknown or revoked");
    }

    @Test
    void explainsWhenNoServerIsFound(@TempDir Path empty) {
        Run none = cli(Map.of("STRATUM_HOME", empty.toString()), "stack", "list");
        assertThat(none.exit()).as("no server is a failure, as the README says").isEqualTo(1);
        assertThat(none.err()).contains("no Stratum server found").contains("bin/stratum up").contains("STRATUM_URL");
    }

    @Test
    void reportsAStoppedServerAsAFailure(@TempDir Path stale) throws Exception {
        Files.copy(home.resolve("admin.token"), stale.resolve("admin.token"));
        Files.createDirectories(stale.resolve("ca"));
        Files.copy(home.resolve("ca/ca.pem"), stale.resolve("ca/ca.pem"));
        Files.writeString(stale.resolve("server.json"), "{\"url\":\"https://127.0.0.1:1\"}");
        Run down = cli(Map.of("STRATUM_HOME", stale.toString()), "stack", "list");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the Stratum server");
    }

    @Test
    void theLocalCliGoesOverTheServersUnixSocket() throws Exception {
        Path serverJson = home.resolve("server.json");
        String written = Files.readString(serverJson);
        Path socket = Path.of(new ObjectMapper().readTree(written).path("socket").asText());
        assertThat(socket).isEqualTo(home.resolve("run/api.sock"));
        assertThat(Files.getPosixFilePermissions(home.resolve("run"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(home.resolve("admin.token")).trim();
        try {
            // the home's HTTPS address made dead: the call still answers, so it went over the socket
            Files.writeString(serverJson, "{\"url\":\"https://127.0.0.1:1\",\"socket\":\"" + socket + "\"}");
            Run local = cli("stack", "list", "-o", "json");
            assertThat(local.exit()).as(local.err()).isZero();
            assertThat(local.json().isArray()).isTrue();
            // a token (or URL, or CA) the user names means HTTPS, verified against the CA
            Run named = cli(Map.of("STRATUM_HOME", home.toString(), "STRATUM_TOKEN", token), "stack", "list");
            assertThat(named.exit()).isEqualTo(1);
            assertThat(named.err()).contains("cannot reach the Stratum server at https://127.0.0.1:1");
        } finally {
            Files.writeString(serverJson, written);
        }
    }

    @Test
    void aSocketNoServerListensOnIsReportedAsADownServer(@TempDir Path stale) throws Exception {
        Path socket = Files.createDirectories(stale.resolve("run")).resolve("api.sock");
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(socket));   // closed below: the file stays, as after a SIGKILL
        }
        homeCopy(stale, "{\"url\":\"https://127.0.0.1:1\",\"socket\":\"" + socket + "\"}");
        Run down = cli(Map.of("STRATUM_HOME", stale.toString()), "stack", "list");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the Stratum server at unix:" + socket).contains("connection refused");
    }

    @Test
    void theSocketAdmitsOnlyTheServersUserAndStillAsksForTheToken(@TempDir Path scratch) throws Exception {
        Assumptions.assumeTrue(Proc.isRoot(), "connects as another OS user");
        Path socket = home.resolve("run/api.sock");
        Path header = scratch.resolve("auth.header");   // curl reads the header from a file: no token on a command line
        Files.writeString(header, "Authorization: Bearer " + Files.readString(home.resolve("admin.token")).trim() + "\n");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(header, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> get = List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", socket.toString(),
                "-H", "@" + header, "http://localhost/v1/stacks");
        // another user holding a valid token: the private directory stops them before the API sees a request (socat says
        // why connect(2) failed; curl only that it did)
        List<String> asNobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
        var denied = Proc.run(concat(asNobody, List.of("socat", "-u", "OPEN:/dev/null", "UNIX-CONNECT:" + socket)), null, null, null, 30);
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.stderr()).contains("Permission denied");
        var nobody = Proc.run(concat(asNobody, get), null, null, null, 30);
        assertThat(nobody.exit()).as(nobody.stdout() + nobody.stderr()).isEqualTo(7);   // curl: could not connect
        // the server's own user: the token is still required, as on the HTTPS port
        var noToken = Proc.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", socket.toString(),
                "http://localhost/v1/stacks"), null, null, null, 30);
        assertThat(noToken.stdout()).isEqualTo("401");
        assertThat(Proc.run(get, null, null, null, 30).stdout()).isEqualTo("200");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A home holding this server's token and CA, with {@code serverJson} as its server.json. */
    private static void homeCopy(Path dir, String serverJson) throws Exception {
        Files.copy(home.resolve("admin.token"), dir.resolve("admin.token"));
        Files.createDirectories(dir.resolve("ca"));
        Files.copy(home.resolve("ca/ca.pem"), dir.resolve("ca/ca.pem"));
        Files.writeString(dir.resolve("server.json"), serverJson);
    }

    @Test
    void aServerOfAnotherCaIsExplained(@TempDir Path other) throws Exception {
        // STRATUM_URL without STRATUM_CA: the local home's CA did not sign that server's certificate
        var foreignCa = io.stratum.server.security.InternalCa.loadOrCreate(other.resolve("ca.pem"), other.resolve("ca.key"));
        Run r = cli(Map.of("STRATUM_HOME", home.toString(), "STRATUM_URL", server.url(), "STRATUM_CA", other.resolve("ca.pem").toString()),
                "stack", "list");
        assertThat(foreignCa).isNotNull();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("did not sign").contains("STRATUM_CA").contains("stratum ca show").doesNotContain("PKIX");
    }

    @Test
    void anAdvertisedNameDoesNotBreakTheLocalCli(@TempDir Path advertised) throws Exception {
        // db.internal does not resolve here: server.json keeps the address this host reaches the API at
        var remote = StratumServer.start(ServerOptions.of(new StratumHome(advertised), "127.0.0.1:0", "db.internal", null, null),
                Clock.systemUTC());
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(advertised.resolve("server.json")));
            assertThat(json.path("url").asText()).startsWith("https://127.0.0.1:");
            assertThat(json.path("advertisedUrl").asText()).startsWith("https://db.internal:");
            Run r = cli(Map.of("STRATUM_HOME", advertised.toString()), "stack", "list");
            assertThat(r.exit()).as(r.err()).isZero();
        } finally {
            remote.close();
        }
        assertThat(advertised.resolve("run/api.sock")).as("a clean stop removes its socket").doesNotExist();
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        CommandLine root = StratumCli.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> missing = new ArrayList<>();
        walk(root, missing);
        assertThat(missing).isEmpty();
        Run help = cli("stage", "create", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Example").contains("stratum stage create shop/prod");
    }

    private static void walk(CommandLine cl, List<String> missing) {
        String usage = cl.getUsageMessage();
        if (!cl.getCommandName().equals("help") && !usage.contains("Example")) missing.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().forEach(sub -> walk(sub, missing));
    }

    @Test
    void printsABashCompletionScript() {
        Run completion = cli("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("stack").contains("stage");
    }

    @Test
    void tokenSecretsArePrintedOnceAndNeverListed() throws Exception {
        cli("stack", "create", "tok");
        Run created = cli("token", "create", "--name", "tok-ci", "--role", "operator", "--stack", "tok");
        assertThat(created.exit()).isZero();
        String secret = created.out().lines().filter(l -> l.startsWith("secret")).findFirst().orElseThrow()
                .replaceAll(".*: ", "").trim();
        assertThat(secret).startsWith("stm_");
        Run list = cli("token", "list", "-o", "json");
        assertThat(list.out()).doesNotContain(secret);
        String id = created.out().lines().findFirst().orElseThrow().split(" ")[2];
        assertThat(cli("token", "revoke", id).exit()).isZero();
        assertThat(cli("token", "revoke", id).exit()).isEqualTo(3);
    }

    @Test
    void eventsFollowStreamsNewEvents() {
        StringWriter out = new StringWriter();
        Thread follower = new Thread(() -> StratumCli.commandLine(Map.of("STRATUM_HOME", home.toString()),
                new PrintWriter(out, true), new PrintWriter(new StringWriter())).execute("events", "--follow", "--limit", "1"));
        follower.setDaemon(true);
        follower.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !out.toString().isEmpty());
        cli("stack", "create", "followed");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> out.toString().contains("stack/followed"));
        assertThat(out.toString()).contains("stack.create");
    }

    @Test
    void eventsListWhatHappened() {
        cli("stack", "create", "evts");
        Run events = cli("events", "--limit", "5", "-o", "json");
        assertThat(events.exit()).isZero();
        assertThat(events.out()).contains("stack/evts").contains("stack.create");
        assertThat(cli("events", "--limit", "0").exit()).isEqualTo(2);
    }
}
