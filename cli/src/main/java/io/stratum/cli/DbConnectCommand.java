package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Opens the engine's own client as the master user. The password goes in the client's environment (PGPASSWORD,
 * MYSQL_PWD, REDISCLI_AUTH), never on a command line. With stdin not a terminal, the client runs what stdin holds.
 */
@Command(name = "connect", description = "Open psql, mariadb or redis-cli as the master user.", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  stratum db connect orders", "  echo 'select 1' | stratum db connect orders",
                "  stratum db connect cache -- INFO server"})
final class DbConnectCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1..*", paramLabel = "CLIENT_ARGS", description = "extra arguments for the client") List<String> extra = new ArrayList<>();

    @Override
    public Integer call() {
        JsonNode instance = api().get("/v1/instances/" + seg(name));
        requireReachable(instance);
        JsonNode c = api().get("/v1/instances/" + seg(name) + "/credentials");
        // an instance that requires TLS is reached encrypted and verified against Stratum's CA (the one the CLI trusts)
        // (an external's certificate is its provider's: its client keeps its own settings)
        boolean stratumCertificate = instance.path("managed").asBoolean(true) && "require".equals(instance.path("tls").asText());
        String ca = stratumCertificate ? root().connection().caFile().toString() : null;
        Client client = client(c, ca);
        List<String> argv = new ArrayList<>(client.argv());
        argv.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
        pb.environment().putAll(client.env());
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot run " + argv.get(0) + ": " + e.getMessage()
                    + " (install the client, e.g. with 'bin/stratum setup')");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliException.FAILED;
        }
    }

    @Override
    void run() {
        throw new IllegalStateException("call() runs the client");
    }

    /** A managed instance whose engine is not running is explained, instead of the client's "connection refused". */
    static void requireReachable(JsonNode instance) {
        if (!instance.path("managed").asBoolean(true)) return;
        String name = instance.path("name").asText();
        String status = instance.path("status").asText();
        switch (status) {
            case "stopped", "stopping" -> throw new CliException(CliException.FAILED, "instance '" + name + "' is " + status
                    + ": start it with 'stratum db start " + name + "'");
            case "creating", "starting", "rebooting" -> throw new CliException(CliException.FAILED, "instance '" + name + "' is "
                    + status + ": wait until 'stratum db show " + name + "' says available");
            case "deleting", "deleted" -> throw new CliException(CliException.FAILED, "instance '" + name + "' is being deleted");
            case "failed" -> throw new CliException(CliException.FAILED, "instance '" + name + "' failed"
                    + (instance.path("lastError").isTextual() ? " (" + instance.path("lastError").asText() + ")" : "")
                    + ": see 'stratum db show " + name + "', then 'stratum db reboot " + name + "'");
            default -> { }
        }
    }

    record Client(List<String> argv, Map<String, String> env) {}

    /** The engine's own client (as its provider declares it on the server) for the master credentials {@code c}. */
    Client client(JsonNode c, String ca) {
        io.stratum.core.engine.ClientCommand client = EngineClients.client(api(), c.path("engine").asText());
        var target = new io.stratum.core.engine.ClientCommand.Target(c.path("host").asText(), c.path("port").asInt(),
                c.path("username").asText(), c.path("database").asText(), ca);
        return new Client(client.argv(target), client.env(target, c.path("password").asText()));
    }
}
