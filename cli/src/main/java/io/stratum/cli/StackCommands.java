package io.stratum.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stack", description = "Manage stacks (applications).", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum stack create shop"})
final class StackCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListStacks.class, Show.class, Delete.class,
            Quota.class);

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
            deleted("stack", name, "deleted stack " + name);
        }
    }

    @Command(name = "quota", description = "Show a stack's quota and use; with options, set it (admin token).",
            mixinStandardHelpOptions = true, footer = {"", "Examples:", "  stratum stack quota shop",
                    "  stratum stack quota shop --instances 40 --storage 2000 --operations 4"})
    static final class Quota extends CliCommand {
        @Parameters(paramLabel = "STACK")
        String name;
        @picocli.CommandLine.Option(names = "--instances", paramLabel = "N", description = "instances at most") Integer instances;
        @picocli.CommandLine.Option(names = "--storage", paramLabel = "GiB", description = "allocated storage at most, all instances together")
        Integer storage;
        @picocli.CommandLine.Option(names = "--operations", paramLabel = "N", description = "operations running at once at most")
        Integer operations;

        @Override
        void run() {
            String path = "/v1/stacks/" + seg(name) + "/quota";
            if (instances != null || storage != null || operations != null) {
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                if (instances != null) body.put("instances", instances);
                if (storage != null) body.put("storage", storage);
                if (operations != null) body.put("operations", operations);
                api().put(path, body);
            }
            out().object(api().get(path));
        }
    }
}
