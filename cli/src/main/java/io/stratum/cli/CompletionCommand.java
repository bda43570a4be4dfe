package io.stratum.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = "Print a bash completion script.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  source <(bin/stratum completion)"})
final class CompletionCommand extends CliCommand {
    @Override
    void run() {
        out().line(AutoComplete.bash("stratum", spec.root().commandLine()));
    }
}
