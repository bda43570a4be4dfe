package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratum.cli.StratumCli;
import io.stratum.testkit.ExternalPostgres;
import io.stratum.testkit.TestSshd;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command, run by a script with {@code -o json} in a scenario against a live server: its standard output is one
 * JSON document (the resource, a list, or the operation with --no-wait) and nothing else. The commands that hand the
 * terminal to another program ({@code db connect}, {@code run}, {@code tunnel}) or print a shell script
 * ({@code completion}) are the only ones left out, and the test fails when a command is neither walked nor left out.
 */
class JsonOutputWalkIT {
    static final Set<String> NOT_JSON = Set.of("db connect", "run", "tunnel", "completion");
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static EngineHarness h;
    static ExternalPostgres pg;
    static TestSshd sshd;
    static final Set<String> walked = new TreeSet<>();

    @BeforeAll
    static void start() {
        h = new EngineHarness("stratum-walk-", "23800-23899", Duration.ofSeconds(15));
        pg = ExternalPostgres.start();
        sshd = TestSshd.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            if (pg != null) pg.close();
            if (sshd != null) sshd.close();
        }
    }

    /** Runs {@code args -o json} in process (with {@code stdin}), asserts success and one JSON document on stdout. */
    static JsonNode withInput(String stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("-o");
        argv.add("json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream realIn = System.in;
        System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
        int code;
        try {
            code = StratumCli.commandLine(Map.of("STRATUM_HOME", h.root().toString()), new PrintWriter(out), new PrintWriter(err))
                    .execute(argv.toArray(String[]::new));
        } finally {
            System.setIn(realIn);
        }
        String command = String.join(" ", args);
        assertThat(code).as(command + ": " + err).isZero();
        walked.add(commandPath(args));
        try {
            return STRICT.readTree(out.toString());
        } catch (Exception e) {
            throw new AssertionError(command + " -o json printed what is not one JSON document:\n" + out, e);
        }
    }

    static JsonNode json(String... args) throws Exception {
        return withInput(null, args);
    }

    /** The leaf command an argument list runs ({@code db user create}), from picocli's own tree. */
    static String commandPath(String... args) {
        CommandLine cl = StratumCli.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> path = new ArrayList<>();
        for (String a : args) {
            CommandLine sub = cl.getSubcommands().get(a);
            if (sub == null) break;
            path.add(a);
            cl = sub;
        }
        return String.join(" ", path);
    }

    static Set<String> allCommands() {
        Set<String> all = new TreeSet<>();
        collect(StratumCli.commandLine(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), "", all);
        return all;
    }

    private static void collect(CommandLine cl, String prefix, Set<String> all) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName()) || name.equals("help")) return;
            String path = (prefix + " " + name).trim();
            if (sub.getSubcommands().isEmpty()) all.add(path);
            else collect(sub, path, all);
        });
    }

    @Test
    void everyCommandPrintsJsonAndOnlyJson() throws Exception {
        assertThat(json("stack", "create", "walk").path("name").asText()).isEqualTo("walk");
        assertThat(json("stack", "list").isArray()).isTrue();
        json("stack", "show", "walk");
        json("stack", "quota", "walk", "--instances", "10");
        json("stage", "create", "walk/dev");
        assertThat(json("stage", "list", "walk").isArray()).isTrue();
        json("stage", "show", "walk/dev");

        json("sg", "create", "web", "--description", "the web tier");
        json("sg", "list");
        json("sg", "show", "web");
        json("sg", "authorize", "web", "--cidr", "10.9.0.0/24");
        json("sg", "revoke", "web", "--cidr", "10.9.0.0/24");

        assertThat(json("db", "create", "walkcache", "--engine", "redis", "--class", "micro", "--stack", "walk", "--stage", "dev")
                .path("status").asText()).isEqualTo("available");
        assertThat(json("db", "create", "walkpg", "--engine", "postgres", "--stack", "walk", "--stage", "dev", "--no-wait")
                .path("id").asText()).startsWith("op-");
        h.awaitStatus("walkpg", "available", Duration.ofSeconds(60));
        json("db", "list");
        assertThat(json("db", "show", "walkcache").path("endpoint").path("port").asInt()).isPositive();
        json("db", "modify", "walkcache", "--param", "maxmemory-policy=allkeys-lru");
        json("db", "modify", "walkcache", "--drill", "off");
        json("db", "modify", "walkcache", "--security-group", "web");
        json("sg", "check", "web");
        json("db", "reboot", "walkcache");
        json("db", "stop", "walkcache");
        json("db", "start", "walkcache");
        json("db", "rotate-password", "walkcache");
        json("db", "user", "create", "reporting", "--instance", "walkpg");
        assertThat(json("db", "user", "list", "--instance", "walkpg").isArray()).isTrue();
        json("db", "user", "rotate-password", "reporting", "--instance", "walkpg");
        json("db", "user", "delete", "reporting", "--instance", "walkpg", "--confirm", "reporting");
        assertThat(json("db", "replica", "create", "walkpg-ro", "--source", "walkpg").path("role").asText()).isEqualTo("replica");
        assertThat(json("db", "promote", "walkpg-ro", "--confirm", "walkpg-ro").path("role").asText()).isEqualTo("primary");

        json("engine", "list");
        withInput("\"the first value\"\n", "secret", "create", "walk/api-key");
        withInput("{\"key\": \"the second value\"}\n", "secret", "put", "walk/api-key");
        json("secret", "list");
        json("secret", "get", "walk/api-key");
        assertThat(json("secret", "history", "walk/api-key").isArray()).isTrue();
        json("master-key", "rotate");
        assertThat(json("env", "walk", "dev").has("PG_HOST")).isTrue();
        assertThat(json("ca", "show").path("pem").asText()).contains("BEGIN CERTIFICATE");

        json("bastion", "show");
        Path key = Files.createTempDirectory("walk-key").resolve("id");
        String keyId = json("bastion", "key", "create", "--stack", "walk", "--out", key.toString()).path("id").asText();
        json("bastion", "key", "list");
        json("bastion", "command", "walkpg", "--key", key.toString());
        json("bastion", "key", "revoke", keyId);

        withInput(pg.password() + "\n", "external", "register", "walkext", "--engine", "postgres", "--host", "127.0.0.1", "--port",
                String.valueOf(pg.port()), "--user", "postgres", "--password-stdin", "--database", "postgres", "--stack", "walk",
                "--stage", "dev", "--ssh-host", "127.0.0.1", "--ssh-port", String.valueOf(sshd.port()), "--ssh-user", sshd.user(),
                "--ssh-key-file", sshd.clientKey().toString());
        json("external", "list");

        Path dir = Files.createTempDirectory("walk-store");
        json("store", "add", "walkdir", "--dir", dir.toString());
        json("store", "list");
        json("store", "show", "walkdir");
        JsonNode backup = json("backup", "create", "walkpg", "--store", "walkdir");
        String id = backup.path("id").asText();
        assertThat(id).startsWith("bk-walkpg-");
        assertThat(json("backup", "list", "--instance", "walkpg").get(0).path("id").asText()).isEqualTo(id);
        json("backup", "show", id);
        assertThat(json("backup", "verify", id).path("drill").path("status").asText()).isEqualTo("passed");
        assertThat(json("backup", "restore", id, "--to", "walkcopy").path("name").asText()).isEqualTo("walkcopy");

        String token = json("token", "create", "--name", "walker", "--role", "reader").path("id").asText();
        json("token", "list");
        json("token", "revoke", token);
        JsonNode ops = json("op", "list");
        json("op", "show", ops.get(0).path("id").asText());
        assertThat(json("events", "--limit", "5").isArray()).isTrue();

        json("backup", "delete", id, "--confirm", id);
        json("store", "delete", "walkdir", "--confirm", "walkdir");
        json("external", "delete", "walkext", "--confirm", "walkext");
        for (String db : List.of("walkcopy", "walkcache", "walkpg-ro", "walkpg")) {
            json("db", "delete", db, "--confirm", db, "--skip-final-snapshot");
        }
        json("sg", "delete", "web");
        json("secret", "delete", "walk/api-key", "--confirm", "walk/api-key");
        json("stage", "delete", "walk/dev");
        json("stack", "delete", "walk");

        Set<String> missing = new TreeSet<>(allCommands());
        missing.removeAll(walked);
        missing.removeAll(NOT_JSON);
        assertThat(missing).as("commands not walked with -o json").isEmpty();
    }
}
