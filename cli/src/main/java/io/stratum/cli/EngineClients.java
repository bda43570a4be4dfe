package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.engine.ClientCommand;

/**
 * An engine's command-line client as its provider declares it on the server ({@code GET /v1/engines}, {@code client}):
 * the CLI knows no engine by name.
 */
final class EngineClients {
    private EngineClients() {}

    static ClientCommand client(ApiClient api, String engine) {
        for (JsonNode e : api.get("/v1/engines")) {
            if (!e.path("name").asText().equals(engine)) continue;
            ClientCommand client;
            try {
                client = ApiClient.JSON.treeToValue(e.path("client"), ClientCommand.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new CliException(CliException.FAILED, "the server's client for engine " + engine + " is unreadable: " + ex.getMessage());
            }
            String problem = problem(client);
            if (problem != null) throw new CliException(CliException.FAILED, "refusing the server's client for engine " + engine + ": " + problem);
            return client;
        }
        throw new CliException(CliException.FAILED, "the server offers no client for engine " + engine);
    }

    private static final java.util.regex.Pattern PROGRAM = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    /** Variables that change how any program (or a shell) loads code, whatever the engine. */
    private static final java.util.regex.Pattern LOADER = java.util.regex.Pattern.compile("LD_.*|DYLD_.*|PATH|BASH_ENV|ENV|.*RC|PS4|IFS|SHELLOPTS");

    /**
     * What the CLI will not run even when its server says so: a program given by path rather than a bare name (found on
     * this machine's PATH), or variables that are not plain names or that steer program loading.
     */
    static String problem(ClientCommand c) {
        if (c.argv().isEmpty() || !PROGRAM.matcher(c.argv().get(0)).matches()) return "the program must be a plain name, was " + c.argv();
        java.util.List<String> names = new java.util.ArrayList<>(c.env().keySet());
        names.addAll(c.tlsEnv().keySet());
        names.add(c.passwordEnv());
        for (String n : names) {
            if (n == null || !VARIABLE.matcher(n).matches() || LOADER.matcher(n).matches()) return "variable " + n + " is not allowed";
        }
        return null;
    }

    /** A line to paste into a shell: the password from {@code passwordCommand}'s output, the environment, the client. */
    static String shellLine(ClientCommand c, ClientCommand.Target t, String passwordCommand) {
        StringBuilder line = new StringBuilder(c.passwordEnv()).append("=\"$(").append(passwordCommand).append(")\" ");
        c.env(t, null).forEach((k, v) -> line.append(k).append('=').append(quoted(v)).append(' '));
        line.append(String.join(" ", c.argv(t).stream().map(EngineClients::quoted).toList()));
        return line.toString();
    }

    private static String quoted(String v) {
        return v.matches("[A-Za-z0-9_./:=@%+-]+") ? v : EnvCommand.shell(v);
    }
}
