package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = "Backups: compressed, encrypted archives of an instance, restored into new instances.",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum backup create orders && stratum backup list --instance orders"})
final class BackupCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListBackups.class, Show.class, Restore.class,
            Verify.class, Delete.class);

    @Command(name = "create", description = "Take a manual backup now (kept until deleted) of a managed or external instance; waits "
            + "until it is stored and checked.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum backup create orders", "  stratum backup create orders --store offsite"})
    static final class Create extends DbCommands.LongCommand {
        @Parameters(paramLabel = "INSTANCE") String instance;
        @Option(names = "--store", description = "store to write to (default: the instance's backup store)") String store;
        @Option(names = "--from-replica", description = "dump from the instance's oldest available read replica (spares the instance)")
        boolean fromReplica;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            DbCommands.put(body, "store", store);
            if (fromReplica) body.put("fromReplica", true);
            JsonNode op = api().post("/v1/instances/" + seg(instance) + "/backups", body);
            if (noWait) {
                follow(op, null, null);
                return;
            }
            new OperationWaiter(api(), spec.commandLine().getErr(), Terminal.interactive()).await(op);
            JsonNode backup = api().get("/v1/backups/" + seg(op.path("backup").asText()));
            done(backup, "backup " + backup.path("id").asText() + " of " + instance + " is " + backup.path("status").asText() + " ("
                    + Output.bytes(backup.path("storedBytes").asLong()) + " in store " + backup.path("store").asText() + ")");
        }
    }

    @Command(name = "list", description = "List backups, newest first.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum backup list --instance orders"})
    static final class ListBackups extends CliCommand {
        @Option(names = "--instance") String instance;

        @Override
        void run() {
            out().list(api().get("/v1/backups" + (instance == null ? "" : "?instance=" + seg(instance))),
                    List.of("id", "instance", "kind", "status", "store", "dumpBytes", "storedBytes", "createdAt"));
        }
    }

    @Command(name = "show", description = "Show a backup: status, sizes, checksum.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum backup show bk-orders-0a1b2c3d4e5f"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        void run() {
            out().object(api().get("/v1/backups/" + seg(id)));
        }
    }

    @Command(name = "restore", description = "Restore into a new instance (--to), or replace an existing instance's data (--into, with "
            + "--confirm; a pre-restore snapshot is taken first). The archive is checked before anything is touched.",
            mixinStandardHelpOptions = true, footer = {"", "Examples:", "  stratum backup restore bk-orders-0a1b2c3d4e5f --to orders-copy",
                    "  stratum backup restore bk-orders-0a1b2c3d4e5f --into orders --confirm orders"})
    static final class Restore extends DbCommands.LongCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--to", paramLabel = "NEW") String to;
        @Option(names = "--into", paramLabel = "NAME") String into;
        @Option(names = "--confirm", paramLabel = "NAME") String confirm;
        @Option(names = "--class") String instanceClass;
        @Option(names = "--stack") String stack;
        @Option(names = "--stage") String stage;

        @Override
        void run() {
            if ((to == null) == (into == null)) throw new CliException(CliException.USAGE, "give --to NEW or --into NAME --confirm NAME");
            Map<String, Object> body = new LinkedHashMap<>();
            DbCommands.put(body, "to", to);
            DbCommands.put(body, "into", into);
            DbCommands.put(body, "confirm", confirm);
            DbCommands.put(body, "class", instanceClass);
            DbCommands.put(body, "stack", stack);
            DbCommands.put(body, "stage", stage);
            String target = to != null ? to : into;
            follow(api().post("/v1/backups/" + seg(id) + "/restore", body), target, "restored " + id + " into " + target);
        }
    }

    @Command(name = "verify", description = "Restore drill: restore into a scratch instance, compare every table's rows and checksum "
            + "with the manifest, record the result and duration, remove the scratch instance. Exit 1 if the drill fails.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum backup verify bk-orders-0a1b2c3d4e5f"})
    static final class Verify extends DbCommands.LongCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        void run() {
            JsonNode op = api().post("/v1/backups/" + seg(id) + "/verify", Map.of());
            if (noWait) {
                follow(op, null, null);
                return;
            }
            new OperationWaiter(api(), spec.commandLine().getErr(), Terminal.interactive()).await(op);
            JsonNode backup = api().get("/v1/backups/" + seg(id));
            JsonNode drill = backup.path("drill");
            String line = "drill of " + id + " " + drill.path("status").asText() + " in " + drill.path("millis").asLong() + " ms: "
                    + drill.path("detail").asText();
            if (!"passed".equals(drill.path("status").asText())) {
                if (out().json()) out().printJson(backup);
                throw new CliException(CliException.FAILED, line);
            }
            done(backup, line);
        }
    }

    @Command(name = "delete", description = "Delete a backup and its archive.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum backup delete bk-orders-0a1b2c3d4e5f --confirm bk-orders-0a1b2c3d4e5f"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--confirm", paramLabel = "ID") String confirm;

        @Override
        void run() {
            api().delete("/v1/backups/" + seg(id) + "?confirm=" + seg(confirm == null ? "" : confirm));
            deleted("backup", id, "deleted backup " + id);
        }
    }
}
