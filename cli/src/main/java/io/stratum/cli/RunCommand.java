package io.stratum.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a command with the stage's contract in its environment; passwords live only in the child's environment. */
@Command(name = "run", description = "Run a command with a stage's connection contract (passwords included) in its environment.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  stratum run --stack shop --stage prod -- node app.js",
                "  stratum run --stack shop --stage prod --user reporting -- node report.js"})
final class RunCommand extends CliCommand {
    @Option(names = "--stack", required = true) String stack;
    @Option(names = "--stage", required = true) String stage;
    @Option(names = "--user", paramLabel = "NAME", description = "a managed user's credentials instead of the master user's") String user;
    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the command and its arguments (after --)") List<String> command;

    @Override
    public Integer call() {
        Map<String, String> vars = withOwnCa(EnvCommand.fetch(api(), stack, stage, true, user), root().connection().caFile());
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(vars);
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliException.FAILED;
        }
    }

    @Override
    void run() {
        throw new IllegalStateException("call() runs the command");
    }

    /**
     * The contract with Stratum's CA at the copy this CLI trusts (the same certificate, readable by whoever runs the
     * CLI, on any host) instead of the server's own file, in the {@code *_SSLROOTCERT} variables and the URLs.
     */
    static Map<String, String> withOwnCa(Map<String, String> vars, java.nio.file.Path caFile) {
        String mine = caFile.toAbsolutePath().toString();
        Map<String, String> out = new java.util.LinkedHashMap<>(vars);
        vars.forEach((k, v) -> {
            if (!k.endsWith("_SSLROOTCERT") || v.equals(mine)) return;
            String serverEncoded = java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            String mineEncoded = java.net.URLEncoder.encode(mine, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            out.replaceAll((name, value) -> name.endsWith("_SSLROOTCERT") && value.equals(v) ? mine
                    : name.endsWith("_URL") ? value.replace(serverEncoded, mineEncoded) : value);
        });
        return out;
    }
}
