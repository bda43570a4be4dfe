package io.stratum.cli;

import io.stratum.core.validation.StageAddress;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stage", description = "Manage stages (environments of a stack), addressed STACK/STAGE.",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum stage create shop/prod"})
final class StageCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListStages.class, Show.class, Delete.class);

    static String path(StageAddress a) {
        return "/v1/stacks/" + CliCommand.seg(a.stack()) + "/stages/" + CliCommand.seg(a.stage());
    }

    @Command(name = "create", description = "Create a stage.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stage create shop/prod"})
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "STACK/STAGE")
        String address;

        @Override
        void run() {
            StageAddress a = StageAddress.parse("stage", address);
            var s = api().post("/v1/stacks/" + seg(a.stack()) + "/stages", Map.of("name", a.stage()));
            done(s, "created stage " + s.path("address").asText());
        }
    }

    @Command(name = "list", description = "List stages, of one stack or of all.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum stage list -o json", "  stratum stage list shop"})
    static final class ListStages extends CliCommand {
        @Parameters(paramLabel = "STACK", arity = "0..1")
        String stack;

        @Override
        void run() {
            var stages = stack == null ? api().get("/v1/stages") : api().get("/v1/stacks/" + seg(stack) + "/stages");
            out().list(stages, List.of("stack", "name", "createdAt"));
        }
    }

    @Command(name = "show", description = "Show one stage.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stage show shop/prod"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "STACK/STAGE")
        String address;

        @Override
        void run() {
            out().object(api().get(path(StageAddress.parse("stage", address))));
        }
    }

    @Command(name = "delete", description = "Delete a stage.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum stage delete shop/dev"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "STACK/STAGE")
        String address;

        @Override
        void run() {
            StageAddress a = StageAddress.parse("stage", address);
            api().delete(path(a));
            deleted("stage", a.toString(), "deleted stage " + a);
        }
    }
}
