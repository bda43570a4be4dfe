package io.stratum.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged control plane (target/stratum.jar) as a real child process, as a user runs it. */
final class ServerProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/stratum.jar").toAbsolutePath();
    final Path home;
    final Process process;
    final Path stdout;
    final Path stderr;
    final String url;

    private ServerProcess(Path home, Process process, Path stdout, Path stderr, String url) {
        this.home = home;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.url = url;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The JVM options bin/stratum gives a CLI call (see cli_java_opts in bin/lib.sh), without the class-data archive. */
    static final List<String> CLI_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Runs the jar with {@code args} (a CLI command), waiting for it to finish. */
    static io.stratum.testkit.Proc.Result cli(Path home, String... args) {
        return cliWithInput(home, null, args);
    }

    /** The packaged CLI as a user runs it, with {@code stdin} (e.g. a secret for --password-stdin). */
    static io.stratum.testkit.Proc.Result cliWithInput(Path home, String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of(java()));
        argv.addAll(CLI_JVM_OPTIONS);
        argv.addAll(List.of("-jar", JAR.toString()));
        argv.addAll(List.of(args));
        return io.stratum.testkit.Proc.run(argv, Map.of("STRATUM_HOME", home.toString()), null, stdin, 120);
    }

    /** Starts the jar with {@code args} (a long-running CLI command such as {@code tunnel}) in the background. */
    static Process background(Path home, String... args) throws java.io.IOException {
        List<String> argv = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("STRATUM_HOME", home.toString());
        return pb.start();
    }

    static ServerProcess start(Path home, Path logs, String tag) throws Exception {
        return start(home, logs, tag, List.of());
    }

    static ServerProcess start(Path home, Path logs, String tag, List<String> extraArgs) throws Exception {
        return start(List.of(), home, logs, tag, extraArgs);
    }

    /**
     * The packaged server with the test classes on its class path and each operation step slowed by {@code stepDelayMs}
     * (see {@link SlowSteps}), so that a test can kill it at a chosen step.
     */
    static ServerProcess startSlow(Path home, Path logs, String tag, long stepDelayMs, List<String> extraArgs) throws Exception {
        List<String> argv = new ArrayList<>(List.of(java(), "-D" + SlowSteps.PROPERTY + "=" + stepDelayMs, "-cp",
                JAR + ":" + Path.of("target/test-classes").toAbsolutePath(), Main.class.getName()));
        return launch(argv, home, logs, tag, extraArgs, Map.of());
    }

    /** The server run through {@code launcher} (e.g. setpriv as another OS user; it must exec, keeping the pid). */
    static ServerProcess start(List<String> launcher, Path home, Path logs, String tag, List<String> extraArgs) throws Exception {
        return start(launcher, home, logs, tag, extraArgs, Map.of());
    }

    static ServerProcess start(List<String> launcher, Path home, Path logs, String tag, List<String> extraArgs, Map<String, String> env)
            throws Exception {
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of(java(), "-jar", JAR.toString()));
        return launch(argv, home, logs, tag, extraArgs, env);
    }

    /** {@code command} (what runs the jar) with {@code server ...} appended, and {@code env} added to its environment. */
    private static ServerProcess launch(List<String> command, Path home, Path logs, String tag, List<String> extraArgs,
                                        Map<String, String> env) throws Exception {
        Files.createDirectories(logs);
        Path out = logs.resolve(tag + ".out");
        Path err = logs.resolve(tag + ".err");
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("server", "--home", home.toString(), "--listen", "127.0.0.1:0"));
        argv.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Path serverJson = home.resolve("server.json");
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited " + p.exitValue() + ": " + Files.readString(err));
            }
            if (Files.exists(serverJson)) {
                try {
                    var json = new ObjectMapper().readTree(Files.readString(serverJson));
                    if (json.path("pid").asLong() == p.pid()) {
                        return new ServerProcess(home, p, out, err, json.path("url").asText());
                    }
                } catch (IOException ignored) {
                    // being written; retry
                }
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not start within 60 s: " + Files.readString(err));
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
