package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "external", description = "External databases (RDS, DigitalOcean, Exoscale, ...): Stratum connects, checks and hands "
        + "them out, directly or through an SSH tunnel it keeps up, but does not run them.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  printf %%s \"$PW\" | stratum external register legacy --engine postgres --host db.example.com "
                + "--port 5432 --user app --password-stdin"})
final class ExternalCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Register.class, ListExternals.class, Delete.class);

    @Command(name = "register", description = "Register an external database; its credentials (and the tunnel) are checked first.",
            mixinStandardHelpOptions = true, footer = {"", "Examples:",
                    "  printf %%s \"$PW\" | stratum external register legacy --engine postgres --host 10.0.0.7 --port 5432 --user app \\",
                    "      --password-stdin --database app --stack shop --stage prod",
                    "  printf %%s \"$PW\" | stratum external register rds --engine mysql --host db.internal --port 3306 --user admin \\",
                    "      --password-stdin --ssh-host jump.example.com --ssh-user tunnel --ssh-key-file tunnel.key"})
    static final class Register extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--engine", required = true, description = "postgres, mariadb, mysql or redis") String engine;
        @Option(names = "--host", required = true, description = "the database's host, as the SSH server sees it when tunneled") String host;
        @Option(names = "--port", required = true) Integer port;
        @Option(names = "--user", required = true) String user;
        @Option(names = "--password-stdin", required = true, description = "read the password from standard input") boolean passwordStdin;
        @Option(names = "--database") String database;
        @Option(names = "--stack") String stack;
        @Option(names = "--stage") String stage;
        @Option(names = "--tls", description = "off (default); require: encrypted and the certificate verified (host name too) against "
                + "the system's CAs or --ca-file; encrypt-only: encrypted, the certificate not verified") String tls;
        @Option(names = "--ca-file", paramLabel = "FILE", description = "the provider's CA certificate (PEM), with --tls require")
        java.nio.file.Path caFile;
        @Option(names = "--ssh-host") String sshHost;
        @Option(names = "--ssh-port") Integer sshPort;
        @Option(names = "--ssh-user") String sshUser;
        @Option(names = "--ssh-key-file", paramLabel = "FILE", description = "private key for the SSH login (kept in the secret store)")
        Path sshKeyFile;
        @Option(names = "--ssh-host-key", paramLabel = "\"TYPE BASE64\"", description = "pin this host key (default: trust the one "
                + "offered now, and show it)") String sshHostKey;
        @Option(names = "--contract-via-tunnel", description = "point applications at the tunnel's local end instead of the provider")
        boolean contractViaTunnel;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("engine", engine);
            body.put("host", host);
            body.put("port", port);
            body.put("user", user);
            body.put("password", stdinLine("password", "--password-stdin"));
            DbCommands.put(body, "database", database);
            DbCommands.put(body, "stack", stack);
            DbCommands.put(body, "stage", stage);
            DbCommands.put(body, "tls", tls);
            if (caFile != null) {
                try {
                    body.put("caPem", Files.readString(caFile));
                } catch (java.io.IOException e) {
                    throw new CliException(CliException.USAGE, "--ca-file: cannot read " + caFile + ": " + e.getMessage());
                }
            }
            DbCommands.put(body, "sshHost", sshHost);
            DbCommands.put(body, "sshPort", sshPort);
            DbCommands.put(body, "sshUser", sshUser);
            DbCommands.put(body, "sshHostKey", sshHostKey);
            if (sshKeyFile != null) {
                try {
                    body.put("sshKey", Files.readString(sshKeyFile));
                } catch (IOException e) {
                    throw new CliException(CliException.USAGE, "--ssh-key-file: cannot read " + sshKeyFile + ": " + e.getMessage());
                }
            }
            if (contractViaTunnel) body.put("contractViaTunnel", true);
            JsonNode r = api().post("/v1/externals", body);
            if (out().json()) {
                out().printJson(r);
                return;
            }
            out().line("registered " + name + " (" + r.path("instance").path("role").asText() + ")");
            if (r.path("sshHostKey").isTextual()) {
                out().line("SSH host key " + r.path("sshHostKeyFingerprint").asText()
                        + (r.path("trustedOnFirstUse").asBoolean() ? " trusted on first use and pinned: " : " pinned: ")
                        + r.path("sshHostKey").asText());
            }
        }
    }

    @Command(name = "list", description = "List external instances (also in 'db list', with managed false).",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum external list -o json"})
    static final class ListExternals extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/externals"), List.of("name", "engine", "status", "endpoint", "role"));
        }
    }

    @Command(name = "delete", description = "Forget an external instance and its stored credentials (the database is untouched).",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum external delete legacy --confirm legacy"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--confirm", paramLabel = "NAME", description = "the name again") String confirm;

        @Override
        void run() {
            api().delete("/v1/externals/" + seg(name) + "?confirm=" + seg(confirm == null ? "" : confirm));
            deleted("external", name, "forgot " + name + " (the database at the provider is untouched)");
        }
    }
}
