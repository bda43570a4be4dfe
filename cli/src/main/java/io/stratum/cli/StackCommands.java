package io.stratum.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stack", description = "Manage stacks (applications).", mixinStandardHelpOptions = true,
        subcommands = {StackCommands.Create.class, StackCommands.ListStacks.class, StackCommands.Show.class,
                StackCommands.Delete.class},
        footer = {"", "Example:", "  stratum stack create shop"})
final class StackCommands {

    @Command(name = "create", description = "Create a stack (admin token).", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stack create shop"})
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "STACK", description = "1-63 lowercase letters, digits, hyphens; starts with a letter")
        String name;

        @Override
        void run() {
            var s = api().post("/v1/stacks", Map.of("name", name));
            done(s, "created stack " + s.path("name").asText());
        }
    }

    @Command(name = "list", description = "List stacks.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stack list -o json"})
    static final class ListStacks extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/stacks"), List.of("name", "createdAt"));
        }
    }

    @Command(name = "show", description = "Show one stack.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stack show shop"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "STACK")
        String name;

        @Override
        void run() {
            out().object(api().get("/v1/stacks/" + seg(name)));
        }
    }

    @Command(name = "delete", description = "Delete a stack; refused while it has stages (admin token).",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum stack delete shop"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "STACK")
        String name;

        @Override
        void run() {
            api().delete("/v1/stacks/" + seg(name));
            out().line("deleted stack " + name);
        }
    }
}
