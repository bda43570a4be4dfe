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
            try {
                return ApiClient.JSON.treeToValue(e.path("client"), ClientCommand.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new CliException(CliException.FAILED, "the server's client for engine " + engine + " is unreadable: " + ex.getMessage());
            }
        }
        throw new CliException(CliException.FAILED, "the server offers no client for engine " + engine);
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
