package io.stratum.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "op", description = "Inspect operations (durable records of long work).", mixinStandardHelpOptions = true,
        subcommands = {OperationCommands.Show.class, OperationCommands.ListOps.class},
        footer = {"", "Example:", "  stratum op show op-1a2b3c4d5e6f"})
final class OperationCommands {

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
