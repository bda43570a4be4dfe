package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "engine", description = "Engines available on this host.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum engine list"})
final class EngineCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(ListEngines.class);

    @Command(name = "list", description = "Engines, versions found on the host, default ports and features.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum engine list -o json"})
    static final class ListEngines extends CliCommand {
        @Override
        void run() {
            JsonNode engines = api().get("/v1/engines");
            if (out().json()) {
                out().printJson(engines);
                return;
            }
            out().list(engines, List.of("name", "versions", "installed", "defaultPort", "features"));
            for (JsonNode e : engines) {
                e.path("aliases").fields().forEachRemaining(a ->
                        out().line("alias " + a.getKey() + " -> " + e.path("name").asText() + ": " + a.getValue().asText()));
            }
        }
    }
}
