package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Database users Stratum manages for an instance (the master user cannot create users itself).",
        mixinStandardHelpOptions = true,
        subcommands = {DbUserCommands.Create.class, DbUserCommands.ListUsers.class, DbUserCommands.Delete.class,
                DbUserCommands.RotatePassword.class},
        footer = {"", "Example:", "  stratum db user create reporting --instance orders --access read && stratum env shop prod --user reporting"})
final class DbUserCommands {
    private DbUserCommands() {}

    static String path(String instance) {
        return "/v1/instances/" + CliCommand.seg(instance) + "/users";
    }

    @Command(name = "create", description = "Create a user with read, write or owner access to a database (Redis: to keys); its "
            + "password goes to the secret store, the engine gets only its hash.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum db user create reporting --instance orders --access read",
                    "  stratum db user create etl --instance orders --database warehouse --access owner",
                    "  stratum db user create worker --instance cache --access write --keys 'jobs:*'"})
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--instance", required = true, paramLabel = "INSTANCE") String instance;
        @Option(names = "--database", paramLabel = "DB", description = "its database (created if missing; default: the instance's)")
        String database;
        @Option(names = "--access", paramLabel = "LEVEL", description = "read (default), write or owner") String access;
        @Option(names = "--keys", paramLabel = "PATTERN", description = "Redis: the keys it may use (default *)") String keys;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (database != null) body.put("database", database);
            if (access != null) body.put("access", access);
            if (keys != null) body.put("keys", keys);
            JsonNode u = api().post(path(instance), body);
            done(u, "created user " + u.path("name").asText() + " on " + instance + " (" + u.path("access").asText()
                    + (u.path("database").isNull() ? "" : " on database " + u.path("database").asText())
                    + (u.path("keys").isNull() ? "" : " on keys " + u.path("keys").asText()) + "); password in secret "
                    + u.path("secret").asText());
        }
    }

    @Command(name = "list", description = "An instance's database users.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum db user list --instance orders"})
    static final class ListUsers extends CliCommand {
        @Option(names = "--instance", required = true, paramLabel = "INSTANCE") String instance;

        @Override
        void run() {
            out().list(api().get(path(instance)), List.of("name", "database", "access", "keys", "secret", "createdAt"));
        }
    }

    @Command(name = "delete", description = "Delete a user: its sessions end, what it owned goes to the master user.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum db user delete reporting --instance orders --confirm reporting"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--instance", required = true, paramLabel = "INSTANCE") String instance;
        @Option(names = "--confirm", paramLabel = "NAME", description = "the user's name again") String confirm;

        @Override
        void run() {
            api().delete(path(instance) + "/" + seg(name) + (confirm == null ? "" : "?confirm=" + seg(confirm)));
            if (out().json()) out().printJson(ApiClient.JSON.createObjectNode().put("instance", instance).put("name", name).put("deleted", true));
            else deleted("db-user", instance + "/" + name, "deleted user " + name + " of " + instance);
        }
    }

    @Command(name = "rotate-password", description = "Give a user a new password (a new secret version once the engine accepts it).",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum db user rotate-password reporting --instance orders"})
    static final class RotatePassword extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--instance", required = true, paramLabel = "INSTANCE") String instance;

        @Override
        void run() {
            JsonNode u = api().post(path(instance) + "/" + seg(name) + "/rotate-password", Map.of());
            done(u, "user " + name + " of " + instance + " has a new password (secret " + u.path("secret").asText() + ")");
        }
    }
}
