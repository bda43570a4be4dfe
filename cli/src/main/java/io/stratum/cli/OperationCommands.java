package io.stratum.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "op", description = "Inspect operations (durable records of long work).", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum op show op-1a2b3c4d5e6f"})
final class OperationCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Show.class, ListOps.class);

    @Command(name = "show", description = "Show one operation: state, step, progress, error.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum op show op-1a2b3c4d5e6f -o json"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run() {
            out().object(api().get("/v1/operations/" + seg(id)));
        }
    }

    @Command(name = "list", description = "List recent operations, newest first.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum op list"})
    static final class ListOps extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/operations"), List.of("id", "type", "resource", "state", "step", "progress", "error"));
        }
    }
}
