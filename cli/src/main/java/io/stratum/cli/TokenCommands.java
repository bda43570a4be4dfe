package io.stratum.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "Manage API tokens (admin token).", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum token create --name shop-ci --role operator --stack shop"})
final class TokenCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListTokens.class, Revoke.class);

    @Command(name = "create", description = "Create a token. Its secret is printed once and never again.",
            mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum token create --name shop-ci --role operator --stack shop",
                    "  stratum token create --name dashboards --role reader"})
    static final class Create extends CliCommand {
        @Option(names = "--name", required = true, description = "a name for the token (like a resource name)")
        String name;

        @Option(names = "--role", required = true, description = "admin, operator or reader")
        String role;

        @Option(names = "--stack", paramLabel = "STACK", description = "for operators: a stack it may manage (repeatable)")
        List<String> stacks = new ArrayList<>();

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            body.put("stacks", stacks);
            var t = api().post("/v1/tokens", body);
            done(t, "created token " + t.path("id").asText() + " (" + t.path("role").asText() + ")\n"
                    + "secret (shown only now): " + t.path("token").asText());
        }
    }

    @Command(name = "list", description = "List tokens (never their secrets).", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum token list"})
    static final class ListTokens extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/tokens"), List.of("id", "name", "role", "stacks", "createdAt", "revokedAt"));
        }
    }

    @Command(name = "revoke", description = "Revoke a token; it stops working at once.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum token revoke tok-1a2b3c4d5e6f"})
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "TOKEN_ID")
        String id;

        @Override
        void run() {
            api().delete("/v1/tokens/" + seg(id));
            done(ApiClient.JSON.createObjectNode().put("kind", "token").put("id", id).put("status", "revoked"), "revoked token " + id);
        }
    }
}
