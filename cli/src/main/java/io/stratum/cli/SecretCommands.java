package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "secret", description = "Versioned secrets, encrypted at rest (like AWS Secrets Manager).",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum secret list --tag stack=shop --tag stage=prod"})
final class SecretCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(ListSecrets.class, Get.class, Create.class, Put.class,
            History.class, Delete.class);

    /** Reads a JSON value from standard input (values never go on the command line). */
    static JsonNode valueFromStdin() {
        try {
            String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) throw new CliException(CliException.USAGE, "value: give the JSON value on standard input");
            return ApiClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "value: standard input is not JSON: " + e.getMessage());
        }
    }

    static String path(String name) {
        return String.join("/", java.util.Arrays.stream(name.split("/", -1)).map(CliCommand::seg).toList());
    }

    @Command(name = "list", description = "List secrets (names and tags, never values).", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum secret list --tag stack=shop"})
    static final class ListSecrets extends CliCommand {
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "only secrets with this tag (repeatable)")
        List<String> tags = new ArrayList<>();

        @Override
        void run() {
            StringBuilder q = new StringBuilder();
            for (String t : tags) q.append(q.isEmpty() ? "?" : "&").append("tag=").append(seg(t));
            out().list(api().get("/v1/secrets" + q), List.of("name", "currentVersion", "managed", "tags", "updatedAt"));
        }
    }

    @Command(name = "get", description = "Print a secret's value (current, or --version N).",
            footer = {"", "Examples:", "  stratum secret get shop/prod/orders/master", "  stratum secret get shop/api-key --version 1 -o json"})
    static final class Get extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        // its own --version (the engine's, the secret's) replaces the standard options: --help is declared here
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.") boolean help;
        @Option(names = "--version") Integer version;

        @Override
        void run() {
            JsonNode v = api().get("/v1/secret-values/" + path(name) + (version == null ? "" : "?version=" + version));
            if (out().json()) out().printJson(v);
            else out().line(v.path("value").isTextual() ? v.path("value").asText() : v.path("value").toString());
        }
    }

    @Command(name = "create", description = "Create a secret from JSON on standard input.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  echo '{\"apiKey\":\"s3cr3t\"}' | stratum secret create shop/prod/payments --tag stack=shop --tag stage=prod"})
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--tag", paramLabel = "KEY=VALUE") List<String> tags = new ArrayList<>();

        @Override
        void run() {
            Map<String, String> tagMap = new LinkedHashMap<>();
            for (String t : tags) {
                int eq = t.indexOf('=');
                if (eq <= 0) throw new CliException(CliException.USAGE, "tag: '" + t + "' is not KEY=VALUE, e.g. stack=shop");
                tagMap.put(t.substring(0, eq), t.substring(eq + 1));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("value", valueFromStdin());
            body.put("tags", tagMap);
            JsonNode s = api().post("/v1/secrets", body);
            done(s, "created secret " + name + " (version 1)");
        }
    }

    @Command(name = "put", description = "Store a new version of a secret from JSON on standard input.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  echo '{\"apiKey\":\"n3w\"}' | stratum secret put shop/prod/payments"})
    static final class Put extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            JsonNode s = api().post("/v1/secret-values/" + path(name), Map.of("value", valueFromStdin()));
            done(s, "stored version " + s.path("currentVersion").asText() + " of " + name);
        }
    }

    @Command(name = "history", description = "A secret's versions.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum secret history shop/prod/orders/master"})
    static final class History extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            out().list(api().get("/v1/secret-versions/" + path(name)), List.of("version", "createdAt", "current"));
        }
    }

    @Command(name = "delete", description = "Delete a secret and all its versions; needs --confirm NAME.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum secret delete shop/prod/payments --confirm shop/prod/payments"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--confirm", paramLabel = "NAME") String confirm;

        @Override
        void run() {
            api().delete("/v1/secrets/" + path(name) + "?confirm=" + seg(confirm == null ? "" : confirm));
            deleted("secret", name, "deleted secret " + name);
        }
    }
}
