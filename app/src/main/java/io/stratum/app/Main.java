package io.stratum.app;

import io.stratum.cli.CliTiming;
import io.stratum.cli.StratumCli;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The one runnable jar: {@code stratum server ...} runs the control plane, everything else is the CLI. */
public final class Main {
    /** Not a command: what {@code bin/stratum} runs once in the background to record the CLI's classes (see {@link #train}). */
    static final String CDS_TRAINING = "__cds-training";

    private Main() {}

    public static void main(String[] args) {
        CliTiming.mark("main");
        String command = command(args);
        boolean server = "server".equals(command);
        if (!server) {
            // The CLI logs nothing: without this, SLF4J would find Logback and parse its configuration on every call.
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (args.length == 1 && args[0].equals(CDS_TRAINING)) {
            train();
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // the server command is left out when another command runs: its class refers to the whole control plane
        Object[] extra = StratumCli.isOwnCommand(command) ? new Object[0] : new Object[] {new ServerCommand(System.getenv(), out)};
        var commandLine = StratumCli.commandLineFor(args, System.getenv(), out, err, extra);
        CliTiming.mark("command line built");
        int code = commandLine.execute(args);
        out.flush();
        CliTiming.report(err);
        err.flush();
        if (!server || code != 0) System.exit(code);
    }

    /** The command a command line runs: its first word that is not an option or the value of a root option. */
    static String command(String[] args) {
        List<String> words = StratumCli.words(args);
        return words.isEmpty() ? null : words.get(0);
    }

    /**
     * Runs a few read-only commands the way a user would (help, a JSON and a table answer from the configured server,
     * if any), discarding their output, so that a JVM started with {@code -XX:ArchiveClassesAtExit} records the classes a
     * CLI call loads: picocli, the commands, Jackson, the HTTP client and TLS. Failures (no server) are fine: the
     * classes of the error path are recorded instead. Always exits 0, so a non-zero exit means the archive failed.
     */
    static void train() {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (List<String> args : List.of(List.of("--help"), List.of("engine", "list", "-o", "json"), List.of("db", "list"),
                List.of("op", "list", "-o", "json"))) {
            try {
                StratumCli.commandLine(System.getenv(), discard, discard).execute(args.toArray(String[]::new));
            } catch (RuntimeException ignored) {
                // the classes loaded until the failure are what counts here
            }
        }
        System.exit(0);
    }
}
