package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.cli.ApiClient;
import io.stratum.cli.Connection;
import io.stratum.testkit.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import io.stratum.testkit.TestHome;

/** No secret (master key, any token) in logs, events, the store file or any process command line. */
class SecretLeakIT {
    /** Engines run as the 'stratum' user, so the home must be traversable by it (JUnit's @TempDir is 0700). */
    static final TestHome HOME = TestHome.create("stratum-" + Long.toHexString(System.nanoTime()) + "-");
    final Path dir = HOME.root();

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() {
        HOME.close();
    }

    @Test
    void secretsStayOutOfLogsEventsStoreAndProcessArguments() throws Exception {
        Path home = dir.resolve("home");
        Path logs = dir.resolve("logs");
        List<String> secrets = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(home, logs, "first")) {
            String admin = Files.readString(home.resolve("admin.token")).trim();
            String masterKey = Files.readString(home.resolve("master.key")).trim();
            secrets.add(admin);
            secrets.add(masterKey);
            assertThat(Files.getPosixFilePermissions(home.resolve("admin.token"))).hasToString("[OWNER_READ, OWNER_WRITE]");
            assertThat(Files.getPosixFilePermissions(home.resolve("master.key"))).hasToString("[OWNER_READ, OWNER_WRITE]");

            assertThat(ServerProcess.cli(home, "stack", "create", "shop").exit()).isZero();
            var created = ServerProcess.cli(home, "token", "create", "--name", "shop-ci", "--role", "operator", "--stack", "shop",
                    "-o", "json");
            assertThat(created.exit()).isZero();
            String operator = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.stdout()).path("token").asText();
            secrets.add(operator);
            // use the tokens, including a failed attempt with a wrong one
            var env = Map.of("STRATUM_HOME", home.toString(), "STRATUM_TOKEN", operator);
            assertThat(Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "stage", "create", "shop/prod"),
                    env, null, null, 60).exit()).isZero();
            var wrong = Map.of("STRATUM_HOME", home.toString(), "STRATUM_TOKEN", operator + "x");
            assertThat(Proc.run(List.of(ServerProcess.java(), "-jar", ServerProcess.JAR.toString(), "stack", "list"),
                    wrong, null, null, 60).exit()).isEqualTo(2);

            assertNoProcessArgumentContains(secrets);
            ApiClient api = new ApiClient(Connection.resolve(home.toString(), Map.of()));
            String events = api.get("/v1/events?limit=1000").toString();
            assertThat(events).contains("token.create");
            for (String s : secrets) assertThat(events).doesNotContain(s);
        }
        try (ServerProcess again = ServerProcess.start(home, logs, "second")) {
            assertThat(again.url).startsWith("https://127.0.0.1:");
        }

        List<Path> scanned = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(home), Files.walk(logs))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.equals(home.resolve("admin.token")) || f.equals(home.resolve("master.key"))) continue;
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : secrets) assertThat(content).as("secret found in " + f).doesNotContain(s);
                scanned.add(f);
            }
        }
        assertThat(scanned).anyMatch(p -> p.toString().endsWith("stratum.log"));
        assertThat(scanned).anyMatch(p -> p.toString().endsWith("stratum.db"));
        // The admin token is printed at most once: here never, since stdout is not a terminal.
        String printed = Files.readString(logs.resolve("first.out")) + Files.readString(logs.resolve("second.out"));
        assertThat(printed).contains("admin.token");
        assertThat(countOccurrences(printed, secrets.get(0))).isLessThanOrEqualTo(1);
    }

    static void assertNoProcessArgumentContains(List<String> secrets) {
        assertThat(io.stratum.testkit.ProcessArguments.containing(secrets)).as("secrets on process command lines").isEmpty();
    }

    static int countOccurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }
}
