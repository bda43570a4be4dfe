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
        requireReachable(api().get("/v1/instances/" + seg(name)));
        JsonNode c = api().get("/v1/instances/" + seg(name) + "/credentials");
        Client client = client(c);
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

    static Client client(JsonNode c) {
        String host = c.path("host").asText();
        String port = c.path("port").asText();
        String user = c.path("username").asText();
        String password = c.path("password").asText();
        String db = c.path("database").asText();
        return switch (c.path("engine").asText()) {
            // libpq reads a -d value with '=' as a whole connection string: the names go by environment, read as plain values
            case "postgres" -> new Client(List.of("psql"), Map.of("PGHOST", host, "PGPORT", port, "PGUSER", user, "PGDATABASE", db,
                    "PGPASSWORD", password));
            case "mariadb" -> new Client(List.of("mariadb", "--no-defaults", "-h", host, "-P", port, "--user=" + user, "--database=" + db),
                    Map.of("MYSQL_PWD", password));
            case "redis" -> new Client(List.of("redis-cli", "-h", host, "-p", port, "--user", user, "-n", db, "--no-auth-warning"),
                    Map.of("REDISCLI_AUTH", password));
            default -> throw new CliException(CliException.FAILED, "no client known for engine " + c.path("engine").asText());
        };
    }
}
