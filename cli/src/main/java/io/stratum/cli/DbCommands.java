package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "db", description = "Database instances: PostgreSQL, MariaDB (MySQL-compatible) and Redis.",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum db create orders --engine postgres --stack shop --stage prod"})
final class DbCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListDbs.class, Show.class, Modify.class,
            Reboot.class, Stop.class, Start.class, Delete.class, RotatePassword.class, DbConnectCommand.class, DbUserCommands.class,
            DbReplicaCommands.class, DbReplicaCommands.Promote.class);

    /** Shared by commands that start an operation: wait with progress by default, or print the operation id. */
    abstract static class LongCommand extends CliCommand {
        @Option(names = "--no-wait", description = "return at once with the operation id")
        boolean noWait;

        /** Waits for {@code op} (unless --no-wait) and prints {@code after} (or the operation) when done. */
        void follow(JsonNode op, String instanceName, String doneMessage) {
            followThen(op, instanceName, instance -> doneMessage);
        }

        /** As above, the message made from the instance as it is afterwards. */
        void followThen(JsonNode op, String instanceName, java.util.function.Function<JsonNode, String> doneMessage) {
            if (noWait) {
                if (out().json()) out().printJson(op);
                else out().line(op.path("id").asText());
                return;
            }
            new OperationWaiter(api(), spec.commandLine().getErr(), Terminal.interactive()).await(op);
            if (instanceName == null) {
                done(api().get("/v1/operations/" + seg(op.path("id").asText())), doneMessage.apply(null));
                return;
            }
            JsonNode instance = api().get("/v1/instances/" + seg(instanceName));
            done(instance, doneMessage.apply(instance) + " (" + instance.path("status").asText() + ", "
                    + instance.path("endpoint").path("host").asText() + ":" + instance.path("endpoint").path("port").asText() + ")");
        }
    }

    @Command(name = "create", description = "Create an instance; waits until an authenticated connection works.",
            footer = {"", "Examples:", "  stratum db create orders --engine postgres --stack shop --stage prod",
                    "  stratum db create cache --engine redis --class micro --no-wait",
                    "  stratum db create legacy --engine mysql --param max_connections=300 --storage 20 --max-storage 100"})
    static final class Create extends LongCommand {
        @Parameters(paramLabel = "NAME") String name;
        // its own --version (the engine's, the secret's) replaces the standard options: --help is declared here
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.") boolean help;
        @Option(names = "--engine", required = true, description = "an engine of 'stratum engine list' (e.g. postgres, mariadb "
                + "or its alias mysql, redis)") String engine;
        @Option(names = "--version", description = "engine version (default: newest installed)") String version;
        @Option(names = "--class", description = "micro, small (default), medium or large") String instanceClass;
        @Option(names = "--storage", paramLabel = "GiB", description = "allocated storage (default 5)") Integer storage;
        @Option(names = "--max-storage", paramLabel = "GiB", description = "grow automatically up to this") Integer maxStorage;
        @Option(names = "--stack") String stack;
        @Option(names = "--stage") String stage;
        @Option(names = "--port", description = "default: a free port from the server's range") Integer port;
        @Option(names = "--database", description = "database name (default app; Redis: 0)") String database;
        @Option(names = "--master-user", description = "master user name (default app)") String masterUser;
        @Option(names = "--public", description = "listen on all interfaces (rules still apply)") boolean publicAccess;
        @Option(names = "--security-group", paramLabel = "SG") List<String> securityGroups = new ArrayList<>();
        @Option(names = "--backup-retention", paramLabel = "DAYS") Integer backupRetention;
        @Option(names = "--backup-window", paramLabel = "HH:MM-HH:MM") String backupWindow;
        @Option(names = "--deletion-protection") boolean deletionProtection;
        @Option(names = "--param", paramLabel = "K=V", description = "engine parameter (repeatable; see 'stratum engine list -o json')")
        Map<String, String> params = new LinkedHashMap<>();
        @Option(names = "--tls", description = "off, prefer (default) or require") String tls;
        @Option(names = "--backup-store", paramLabel = "STORE", description = "where backups go (default: the built-in directory store)")
        String backupStore;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("engine", engine);
            put(body, "version", version);
            put(body, "class", instanceClass);
            put(body, "storage", storage);
            put(body, "maxStorage", maxStorage);
            put(body, "stack", stack);
            put(body, "stage", stage);
            put(body, "port", port);
            put(body, "database", database);
            put(body, "masterUser", masterUser);
            if (publicAccess) body.put("public", true);
            if (!securityGroups.isEmpty()) body.put("securityGroups", securityGroups);
            put(body, "backupRetentionDays", backupRetention);
            put(body, "backupWindow", backupWindow);
            if (deletionProtection) body.put("deletionProtection", true);
            if (!params.isEmpty()) body.put("params", params);
            put(body, "tls", tls);
            put(body, "backupStore", backupStore);
            JsonNode op = api().post("/v1/instances", body);
            noteAlias();
            follow(op, name, "created " + name);
        }

        /** {@code --engine mysql} is accepted as an alias: say what actually runs. */
        private void noteAlias() {
            for (JsonNode e : api().get("/v1/engines")) {
                JsonNode alias = e.path("aliases").path(engine);
                if (!alias.isMissingNode() && !e.path("name").asText().equals(engine)) {
                    spec.commandLine().getErr().println("note: --engine " + engine + " runs " + e.path("name").asText() + " ("
                            + alias.asText() + ")");
                }
            }
        }
    }

    static void put(Map<String, Object> body, String key, Object value) {
        if (value != null) body.put(key, value);
    }

    @Command(name = "list", description = "List instances.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db list -o json"})
    static final class ListDbs extends CliCommand {
        @Override
        void run() {
            JsonNode list = api().get("/v1/instances");
            if (out().json()) {
                out().printJson(list);
                return;
            }
            List<String[]> rows = new ArrayList<>();
            for (JsonNode i : list) {
                rows.add(new String[] {i.path("name").asText(), i.path("engine").asText() + " " + i.path("version").asText(),
                        i.path("class").asText(), i.path("status").asText(),
                        i.path("endpoint").path("host").asText() + ":" + i.path("endpoint").path("port").asText(),
                        i.path("stack").isNull() ? "-" : i.path("stack").asText() + "/" + i.path("stage").asText(),
                        i.path("source").isTextual() ? "replica of " + i.path("source").asText() : i.path("role").asText()});
            }
            out().rows(List.of("NAME", "ENGINE", "CLASS", "STATUS", "ENDPOINT", "STAGE", "ROLE"), rows);
        }
    }

    @Command(name = "show", description = "Show an instance: status, endpoint, storage, pending modifications, last error.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum db show orders -o json"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            JsonNode instance = api().get("/v1/instances/" + seg(name));
            out().object(out().json() ? instance : InstanceText.readable(instance));
        }
    }

    @Command(name = "modify", description = "Change class, storage, parameters or settings. Class and static parameters wait "
            + "for the next reboot unless --apply-immediately.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum db modify orders --class medium --apply-immediately",
                    "  stratum db modify orders --param work_mem=16MB", "  stratum db modify orders --storage 20 --max-storage 50",
                    "  stratum db modify orders --no-deletion-protection", "  stratum db modify orders --security-group web",
                    "  stratum db modify orders --backup-store offsite --drill weekly"})
    static final class Modify extends LongCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--class") String instanceClass;
        @Option(names = "--storage", paramLabel = "GiB") Integer storage;
        @Option(names = "--max-storage", paramLabel = "GiB") Integer maxStorage;
        @Option(names = "--param", paramLabel = "K=V") Map<String, String> params = new LinkedHashMap<>();
        @Option(names = "--deletion-protection", negatable = true) Boolean deletionProtection;
        @Option(names = "--backup-retention", paramLabel = "DAYS") Integer backupRetention;
        @Option(names = "--backup-window", paramLabel = "HH:MM-HH:MM") String backupWindow;
        @Option(names = "--security-group", paramLabel = "SG",
                description = "replace the attached groups (repeatable; applied at once, no restart)")
        List<String> securityGroups = new ArrayList<>();
        @Option(names = "--no-security-groups", description = "detach every group: loopback only again")
        boolean noSecurityGroups;
        @Option(names = "--tls", description = "off, prefer or require (restarts the engine; pending without --apply-immediately)")
        String tls;
        @Option(names = "--apply-immediately", description = "apply class and static parameters now (restarts the engine)")
        boolean applyImmediately;
        @Option(names = "--backup-store", paramLabel = "STORE", description = "where future backups go (also for external instances)")
        String backupStore;
        @Option(names = "--drill", paramLabel = "SCHEDULE", description = "restore drills: weekly, after-each or off")
        String drill;

        /** Only the backup policy changes (no modification of the instance itself). */
        private boolean onlyPolicy() {
            return (backupStore != null || drill != null) && instanceClass == null && storage == null && maxStorage == null
                    && params.isEmpty() && deletionProtection == null && backupRetention == null && backupWindow == null
                    && securityGroups.isEmpty() && !noSecurityGroups && tls == null && !applyImmediately;
        }

        @Override
        void run() {
            if (backupStore != null || drill != null) {
                Map<String, Object> policy = new LinkedHashMap<>();
                put(policy, "backupStore", backupStore);
                put(policy, "drill", drill);
                JsonNode p = api().put("/v1/instances/" + seg(name) + "/backup-policy", policy);
                String said = name + ": backups go to store " + p.path("backupStore").asText() + ", restore drills " + p.path("drill").asText();
                if (!out().json()) out().line(said);
                else if (onlyPolicy()) out().printJson(p);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            put(body, "class", instanceClass);
            put(body, "storage", storage);
            put(body, "maxStorage", maxStorage);
            if (!params.isEmpty()) body.put("params", params);
            put(body, "deletionProtection", deletionProtection);
            put(body, "backupRetentionDays", backupRetention);
            put(body, "backupWindow", backupWindow);
            if (noSecurityGroups && !securityGroups.isEmpty()) {
                throw new CliException(CliException.USAGE, "give --security-group or --no-security-groups, not both");
            }
            if (!securityGroups.isEmpty()) body.put("securityGroups", securityGroups);
            if (noSecurityGroups) body.put("securityGroups", List.of());
            put(body, "tls", tls);
            if (applyImmediately) body.put("applyImmediately", true);
            if (onlyPolicy()) return;
            followThen(api().patch("/v1/instances/" + seg(name), body), name, instance -> {
                JsonNode pending = instance.path("pendingModifications");
                if (pending.isEmpty()) return "modified " + name + ": in effect now";
                java.util.List<String> waiting = new java.util.ArrayList<>();
                pending.fields().forEachRemaining(f -> waiting.add(f.getKey().replaceFirst("^param\\.", "") + "=" + f.getValue().asText()));
                return "modified " + name + "; pending until the next reboot: " + String.join(", ", waiting) + " (apply now with "
                        + "'stratum db reboot " + name + "', or modify with --apply-immediately)";
            });
        }
    }

    abstract static class ActionCommand extends LongCommand {
        @Parameters(paramLabel = "NAME") String name;

        abstract String verb();

        @Override
        void run() {
            follow(api().post("/v1/instances/" + seg(name) + "/" + verb(), Map.of()), name, verb() + " " + name + ": done");
        }
    }

    @Command(name = "reboot", description = "Restart the engine, applying pending modifications.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db reboot orders"})
    static final class Reboot extends ActionCommand {
        @Override
        String verb() {
            return "reboot";
        }
    }

    @Command(name = "rotate-password", description = "New master password: set in the engine, verified, then a new secret "
            + "version. On failure the old password keeps working and the secret is unchanged.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db rotate-password orders"})
    static final class RotatePassword extends ActionCommand {
        @Override
        String verb() {
            return "rotate-password";
        }
    }

    @Command(name = "stop", description = "Stop the engine; data and endpoint are kept.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db stop orders"})
    static final class Stop extends ActionCommand {
        @Override
        String verb() {
            return "stop";
        }
    }

    @Command(name = "start", description = "Start a stopped instance.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db start orders"})
    static final class Start extends ActionCommand {
        @Override
        String verb() {
            return "start";
        }
    }

    @Command(name = "delete", description = "Delete an instance and its data. Needs --confirm NAME; refused with deletion "
            + "protection on.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db delete orders --confirm orders --skip-final-snapshot"})
    static final class Delete extends LongCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--confirm", paramLabel = "NAME", description = "the instance's name again") String confirm;
        @Option(names = "--skip-final-snapshot", description = "delete without a final snapshot") boolean skipFinalSnapshot;

        @Override
        void run() {
            String query = "?confirm=" + seg(confirm == null ? "" : confirm) + (skipFinalSnapshot ? "&skipFinalSnapshot=true" : "");
            follow(api().delete("/v1/instances/" + seg(name) + query), null, "deleted " + name);
        }
    }
}
