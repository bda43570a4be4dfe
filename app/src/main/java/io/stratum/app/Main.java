package io.stratum.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.stratum.cli.StratumCli;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/** The one runnable jar: {@code stratum server ...} runs the control plane, everything else is the CLI. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean server = args.length > 0 && args[0].equals("server");
        if (!server && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = StratumCli.commandLine(System.getenv(), out, err, new ServerCommand(System.getenv(), out)).execute(args);
        out.flush();
        err.flush();
        if (!server || code != 0) System.exit(code);
    }
}
