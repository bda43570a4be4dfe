package io.stratum.cli;

import picocli.CommandLine.Command;

@Command(name = "ca", description = "The internal certificate authority.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum ca show > ca.pem"})
final class CaCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Show.class);

    @Command(name = "show", description = "Print the CA certificate (PEM) for clients: psql sslrootcert, mariadb --ssl-ca, "
            + "redis-cli --cacert.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum ca show > ca.pem && psql \"host=127.0.0.1 port=15000 sslmode=verify-full sslrootcert=ca.pem\""})
    static final class Show extends CliCommand {
        @Override
        void run() {
            var ca = api().get("/v1/ca");
            if (out().json()) out().printJson(ca);
            else {
                spec.commandLine().getOut().print(ca.path("pem").asText());
                spec.commandLine().getOut().flush();
            }
        }
    }
}
