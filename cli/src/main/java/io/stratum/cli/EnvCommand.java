package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "env", description = "Print a stage's connection contract (PG_*, MYSQL_*, REDIS_*, DATABASE_URL, REDIS_URL).",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  stratum env shop prod", "  stratum env shop prod --format shell --reveal > .env.sh",
                "  stratum env shop prod --format json", "  stratum env shop prod --user reporting --reveal"})
final class EnvCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "STACK") String stack;
    @Parameters(index = "1", paramLabel = "STAGE") String stage;
    @Option(names = "--format", description = "dotenv (default), json or shell") String format = "dotenv";
    @Option(names = "--reveal", description = "include passwords (otherwise *_CREDENTIALS_SECRET names the secret)") boolean reveal;
    @Option(names = "--user", paramLabel = "NAME", description = "a managed user's credentials instead of the master user's "
            + "(only the instances that have that user)") String user;

    @Override
    void run() {
        Map<String, String> vars = fetch(api(), stack, stage, reveal, user);
        switch (out().json() ? "json" : format) {
            case "json" -> out().printJson(ApiClient.JSON.valueToTree(vars));
            case "shell" -> vars.forEach((k, v) -> out().line("export " + k + "=" + shell(v)));
            case "dotenv" -> vars.forEach((k, v) -> out().line(k + "=" + dotenv(v)));
            default -> throw new CliException(CliException.USAGE, "format: '" + format + "' is not dotenv, json or shell");
        }
    }

    static Map<String, String> fetch(ApiClient api, String stack, String stage, boolean reveal, String user) {
        String query = (reveal ? "&reveal=true" : "") + (user == null ? "" : "&user=" + seg(user));
        JsonNode env = api.get("/v1/stacks/" + seg(stack) + "/stages/" + seg(stage) + "/env" + (query.isEmpty() ? "" : "?" + query.substring(1)));
        Map<String, String> vars = new LinkedHashMap<>();
        env.path("variables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        return vars;
    }

    /**
     * A dotenv value: bare when plain, else double-quoted with {@code \}, {@code "}, {@code $} and backticks escaped and
     * line breaks as {@code \n}, so that neither a dotenv parser nor a shell sourcing the file runs or expands anything.
     */
    static String dotenv(String v) {
        if (v.matches("[A-Za-z0-9_./:@%+=,-]*")) return v;
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`")
                .replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    /** A shell value: single-quoted, a quote in it closed, escaped and reopened; nothing inside is expanded. */
    static String shell(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }
}
