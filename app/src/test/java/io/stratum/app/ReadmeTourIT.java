package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.testkit.ExternalMariadb;
import io.stratum.testkit.ExternalPostgres;
import io.stratum.testkit.Proc;
import io.stratum.testkit.TestHome;
import io.stratum.testkit.TestS3;
import io.stratum.testkit.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README, run: every ```sh block not marked as skipped (see {@link ReadmeTour}), command by command, in one bash
 * session against a fresh server, with {@code bin/stratum} as written. The only changes to the text: ids printed by
 * earlier commands replace the placeholders, and the provider endpoints of the examples (an RDS host, a jump host,
 * AWS S3, a NAS mount) are replaced by local stand-ins, each listed in {@link #standIns} and each required to occur.
 */
class ReadmeTourIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A README text and what the tour runs instead, because the machine is offline and has no such provider. */
    record StandIn(String readme, String local) {}

    @Test
    void everyCommandInTheReadmeRunsInOrderAgainstAFreshServer() throws Exception {
        ReadmeTour tour = ReadmeTour.parse(Files.readString(ROOT.resolve("README.md")));
        try (TestHome serverHome = TestHome.create("stratum-readme-");
             TestHome scratch = TestHome.create("stratum-readme-work-");
             ExternalPostgres provider = ExternalPostgres.startWithTls();
             ExternalMariadb mysqlProvider = ExternalMariadb.start();
             TestSshd jumpHost = TestSshd.start();
             TestS3 s3 = TestS3.start()) {
            Path home = serverHome.root();
            Path work = scratch.root().resolve("work");
            Files.createDirectories(work);
            String appPassword = "Tour-" + Long.toHexString(new java.security.SecureRandom().nextLong());
            provider.psql("CREATE ROLE app LOGIN PASSWORD '" + appPassword + "'");
            provider.psql("CREATE DATABASE app OWNER app");
            try (ServerProcess server = ServerProcess.start(home, scratch.root().resolve("logs"), "server",
                    List.of("--bastion-listen", "127.0.0.1:0"))) {
                List<StandIn> standIns = List.of(
                        new StandIn("--host 10.0.0.7 --port 5432", "--host 127.0.0.1 --port " + provider.port()),
                        new StandIn("--host mydb.abc.eu-central-1.rds.amazonaws.com --port 5432", "--host 127.0.0.1 --port " + provider.port()),
                        new StandIn("--host db.internal --port 3306 --user admin", "--host 127.0.0.1 --port " + mysqlProvider.port() + " --user app"),
                        new StandIn("--ssh-host jump.example.com --ssh-user tunnel",
                                "--ssh-host 127.0.0.1 --ssh-port " + jumpHost.port() + " --ssh-user " + jumpHost.user()),
                        new StandIn("--s3-endpoint https://s3.eu-central-1.amazonaws.com", "--s3-endpoint " + s3.endpoint() + " --path-style --create-bucket"),
                        new StandIn("--region eu-central-1 --prefix", "--region us-east-1 --prefix"),   // s3proxy knows one region
                        new StandIn("--access-key AKIA...", "--access-key " + TestS3.ACCESS_KEY),
                        new StandIn("--s3-endpoint http://127.0.0.1:9000", "--s3-endpoint " + s3.endpoint()),
                        new StandIn("--access-key minio", "--access-key " + TestS3.ACCESS_KEY),
                        new StandIn("/mnt/nas/stratum", work.resolve("nas").toString()),
                        new StandIn("https://db.internal:7443", server.url));
                prepare(work, home, provider, jumpHost);
                Map<String, String> env = new HashMap<>();
                env.put("STRATUM_HOME", home.toString());
                env.put("HOME", work.resolve("user").toString());
                env.put("npm_config_cache", Path.of(System.getProperty("user.home"), ".npm").toString());
                env.put("LEGACY_PASSWORD", appPassword);
                env.put("RDSPG_PASSWORD", appPassword);
                env.put("RDS_PASSWORD", mysqlProvider.password());
                env.put("S3_SECRET", s3.secretKey());
                env.put("MINIO_SECRET", s3.secretKey());
                run(tour, standIns, work, env);
            }
        }
    }

    /** What a user has at hand before the tour: a token and the CA for STRATUM_URL, an SSH key, provider files, an app. */
    private static void prepare(Path work, Path home, ExternalPostgres provider, TestSshd jumpHost) throws Exception {
        Files.createSymbolicLink(work.resolve("bin"), ROOT.resolve("bin"));
        Files.createSymbolicLink(work.resolve("examples"), ROOT.resolve("examples"));
        Files.copy(home.resolve("admin.token"), work.resolve("my.token"));
        Files.copy(home.resolve("ca/ca.pem"), work.resolve("ca.pem"));
        Files.copy(jumpHost.clientKey(), work.resolve("tunnel.key"));
        Files.setPosixFilePermissions(work.resolve("tunnel.key"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(provider.caFile(), work.resolve("eu-central-1-bundle.pem"));
        Files.createDirectories(work.resolve("nas"));
        Files.createDirectories(work.resolve("user/.ssh"));
        Proc.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("user/.ssh/id_ed25519").toString())
                .requireSuccess("ssh-keygen");
        // the user's report job: it must see the managed user's credentials, not the master's
        Files.writeString(work.resolve("report.js"), """
                const ok = process.env.PG_USERNAME === 'reporting' && process.env.DATABASE_URL.startsWith('postgres://reporting:');
                console.log(ok ? 'report ok' : 'wrong credentials: ' + process.env.PG_USERNAME);
                process.exit(ok ? 0 : 1);
                """);
    }

    private static void run(ReadmeTour tour, List<StandIn> standIns, Path work, Map<String, String> env) throws Exception {
        Set<String> prefixes = new LinkedHashSet<>();
        tour.commands().forEach(c -> prefixes.addAll(c.placeholderPrefixes()));
        Map<String, String> lastId = new HashMap<>();
        Map<StandIn, Integer> used = new LinkedHashMap<>();
        standIns.forEach(s -> used.put(s, 0));
        List<String> transcript = new ArrayList<>();
        try (ShellSession shell = new ShellSession(work, env)) {
            for (ReadmeTour.Command command : tour.commands()) {
                String text = command.withIds(lastId);
                for (StandIn s : standIns) {
                    if (text.contains(s.readme())) {
                        used.merge(s, 1, Integer::sum);
                        text = text.replace(s.readme(), s.local());
                    }
                }
                long started = System.nanoTime();
                ShellSession.Result r = command.expect() == ReadmeTour.Expect.RUNS_UNTIL_STOPPED
                        ? shell.runThenStop(text, Duration.ofSeconds(20)) : shell.run(text, Duration.ofMinutes(4));
                transcript.add(String.format("%6d ms  README:%d exit %s: %s", (System.nanoTime() - started) / 1_000_000, command.line(),
                        r.exit(), text));
                String context = "README line " + command.line() + ": " + text + "\nexit " + r.exit() + "\nstdout:\n" + r.stdout()
                        + "\nstderr:\n" + r.stderr();
                switch (command.expect()) {
                    case SUCCESS -> assertThat(r.exit()).as(context).isZero();
                    // a refusal in the README is a conflict (exit 4), never a usage error that a typo would also cause
                    case REFUSED -> assertThat(r.exit()).as(context).isEqualTo(4);
                    case RUNS_UNTIL_STOPPED -> {
                        assertThat(r.exit()).as("still running once it printed: " + context).isNull();
                        assertThat(r.stdout()).as("printed something: " + context).isNotBlank();
                    }
                }
                assertThat(r.stdout() + r.stderr()).as(context).doesNotContain("Exception").doesNotContain("\tat ");
                for (String prefix : prefixes) {
                    Matcher m = Pattern.compile("(?<![A-Za-z0-9-])" + Pattern.quote(prefix) + "[0-9a-f]{12}(?![0-9a-f])")
                            .matcher(r.stdout() + "\n" + r.stderr());
                    while (m.find()) lastId.put(prefix, m.group());
                }
            }
        }
        transcript.forEach(System.out::println);
        assertThat(used).as("every stand-in replaces something the README shows").allSatisfy((s, n) -> assertThat(n).as(s.readme()).isPositive());
        assertThat(transcript).as("the tour covers the README's sections").hasSizeGreaterThan(90);
        assertThat(tour.skipped()).as("blocks the tour leaves out, each with its reason").hasSizeLessThanOrEqualTo(4);
    }
}
