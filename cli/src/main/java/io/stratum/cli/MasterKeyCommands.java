package io.stratum.cli;

import picocli.CommandLine.Command;

@Command(name = "master-key", description = "The master key that wraps every secret's data key.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum master-key rotate"})
final class MasterKeyCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Rotate.class);

    @Command(name = "rotate", description = "Generate a new master key and rewrap every data key under it; instances stay up.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum master-key rotate -o json"})
    static final class Rotate extends CliCommand {
        @Override
        void run() {
            var r = api().post("/v1/master-key/rotate", java.util.Map.of());
            done(r, "master key rotated: " + r.path("rewrapped").asText() + " data keys rewrapped under key " + r.path("keyId").asText());
        }
    }
}
