package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sg", description = "Security groups: named sets of ingress rules (CIDR, optional port).", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum sg create web --description 'web tier' && stratum sg authorize web --cidr 10.0.0.0/8"})
final class SecurityGroupCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Create.class, ListGroups.class, Show.class, Delete.class,
            Authorize.class, Revoke.class, Check.class);

    @Command(name = "create", description = "Create a security group (admin token).", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum sg create web --description 'web tier'"})
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--description") String description;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (description != null) body.put("description", description);
            done(api().post("/v1/security-groups", body), "created security group " + name);
        }
    }

    @Command(name = "list", description = "List security groups.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum sg list -o json"})
    static final class ListGroups extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/security-groups"), List.of("name", "description", "rules"));
        }
    }

    @Command(name = "show", description = "Show a security group and its rules.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum sg show web"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            out().object(api().get("/v1/security-groups/" + seg(name)));
        }
    }

    @Command(name = "delete", description = "Delete a security group; refused while it is attached.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum sg delete web"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            api().delete("/v1/security-groups/" + seg(name));
            deleted("security-group", name, "deleted security group " + name);
        }
    }

    @Command(name = "authorize", description = "Allow ingress from a CIDR (IPv4 or IPv6), on the instance's port or --port.",
            mixinStandardHelpOptions = true, footer = {"", "Examples:", "  stratum sg authorize web --cidr 10.0.0.0/8",
                    "  stratum sg authorize web --cidr 2001:db8::/32 --port 5432"})
    static final class Authorize extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--cidr", required = true) String cidr;
        @Option(names = "--port") Integer port;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cidr", cidr);
            if (port != null) body.put("port", port);
            JsonNode g = api().post("/v1/security-groups/" + seg(name) + "/rules", body);
            done(g, "authorized " + cidr + (port == null ? "" : " port " + port) + " in " + name);
        }
    }

    @Command(name = "revoke", description = "Remove an ingress rule.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum sg revoke web --cidr 10.0.0.0/8"})
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--cidr", required = true) String cidr;
        @Option(names = "--port") Integer port;

        @Override
        void run() {
            JsonNode g = api().delete("/v1/security-groups/" + seg(name) + "/rules?cidr=" + seg(cidr) + (port == null ? "" : "&port=" + port));
            done(g, "revoked " + cidr + (port == null ? "" : " port " + port) + " in " + name);
        }
    }

    @Command(name = "check", description = "What each layer (kernel nftables, engine) enforces for the instances using a group.",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum sg check web"})
    static final class Check extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            JsonNode c = api().get("/v1/security-groups/" + seg(name) + "/check");
            if (out().json()) {
                out().printJson(c);
                return;
            }
            out().line("security group " + name + ": enforcement " + c.path("enforcement").asText()
                    + (c.path("note").isTextual() ? " (" + c.path("note").asText() + ")" : ""));
            if (c.path("instances").isEmpty()) out().line("  not attached to any instance");
            for (JsonNode i : c.path("instances")) {
                out().line("instance " + i.path("instance").asText() + " (" + i.path("engine").asText() + ", port "
                        + i.path("port").asText() + ", " + i.path("status").asText() + ")");
                block("admits", i.path("rules"), r -> r.path("cidr").asText() + "  " + r.path("reason").asText());
                block("kernel", i.path("kernel"), JsonNode::asText);
                block("engine", i.path("engineRules"), JsonNode::asText);
            }
        }

        private void block(String label, JsonNode items, java.util.function.Function<JsonNode, String> text) {
            String pad = " ".repeat(label.length() + 4);
            boolean first = true;
            if (items.isEmpty()) out().line("  " + label + ": (none)");
            for (JsonNode item : items) {
                out().line((first ? "  " + label + ": " : pad) + text.apply(item));
                first = false;
            }
        }
    }
}
