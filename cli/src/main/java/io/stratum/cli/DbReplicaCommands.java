package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replica", description = "Read replicas: copies of an instance that follow it (PostgreSQL streaming replication).",
        mixinStandardHelpOptions = true, subcommands = {DbReplicaCommands.Create.class},
        footer = {"", "Example:", "  stratum db replica create orders-ro --source orders && stratum db show orders-ro"})
final class DbReplicaCommands {
    private DbReplicaCommands() {}

    @Command(name = "create", description = "Create a read replica of SOURCE: seeded from it, then following it, read-only; in "
            + "its stack and stage, with its engine, version, database and master user. Waits until it streams.",
            mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum db replica create orders-ro --source orders",
                    "  stratum db replica create orders-ro2 --source orders --class medium --security-group web --no-wait"})
    static final class Create extends DbCommands.LongCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--source", required = true, paramLabel = "SRC", description = "the instance to replicate") String source;
        @Option(names = "--class", description = "micro, small, medium or large (default: the source's)") String instanceClass;
        @Option(names = "--port", description = "default: a free port from the server's range") Integer port;
        @Option(names = "--security-group", paramLabel = "SG", description = "default: the source's groups")
        List<String> securityGroups = new ArrayList<>();
        @Option(names = "--stack", description = "must be the source's (a replica lives in its source's stack)") String stack;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            DbCommands.put(body, "class", instanceClass);
            DbCommands.put(body, "port", port);
            if (!securityGroups.isEmpty()) body.put("securityGroups", securityGroups);
            DbCommands.put(body, "stack", stack);
            JsonNode op = api().post("/v1/instances/" + seg(source) + "/replicas", body);
            follow(op, name, "created read replica " + name + " of " + source);
        }
    }

    @Command(name = "promote", description = "Promote a read replica (RDS PromoteReadReplica): it stops following its source for "
            + "good and takes writes, with a master secret of its own; the source is untouched. Needs --confirm NAME.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum db promote orders-ro --confirm orders-ro"})
    static final class Promote extends DbCommands.LongCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--confirm", paramLabel = "NAME", description = "the replica's name again") String confirm;

        @Override
        void run() {
            JsonNode op = api().post("/v1/instances/" + seg(name) + "/promote?confirm=" + seg(confirm == null ? "" : confirm), Map.of());
            follow(op, name, "promoted " + name + " to a standalone instance");
        }
    }
}
