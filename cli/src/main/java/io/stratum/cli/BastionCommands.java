package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bastion", description = "The SSH bastion: key-only tunnels into a stack's instances.", mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  stratum bastion key create --stack shop --out shop.key && stratum bastion command orders"})
final class BastionCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Show.class, Keys.class, SshCommand.class);

    @Command(name = "show", description = "Where the bastion listens and its host key fingerprint.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum bastion show"})
    static final class Show extends CliCommand {
        @Override
        void run() {
            out().object(api().get("/v1/bastion"));
        }
    }

    @Command(name = "key", description = "Public keys allowed through the bastion, per stack.", mixinStandardHelpOptions = true,
            subcommands = {Create.class, ListKeys.class, Revoke.class},
            footer = {"", "Example:", "  stratum bastion key create --stack shop --out shop.key && stratum bastion key list"})
    static final class Keys {}

    @Command(name = "create", description = "Make an ed25519 key pair here (private key to --out, 0600) and allow its public half "
            + "into the stack; or register an existing public key.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum bastion key create --stack shop --out shop.key --expires 30d",
                    "  stratum bastion key create --stack shop --public-key-file ~/.ssh/id_ed25519.pub"})
    static final class Create extends CliCommand {
        @Option(names = "--stack", required = true) String stack;
        @Option(names = "--out", paramLabel = "FILE", description = "where the new private key goes") Path out;
        @Option(names = "--public-key-file", paramLabel = "FILE", description = "register this existing public key instead") Path publicKeyFile;
        @Option(names = "--expires", paramLabel = "LIFETIME", description = "e.g. 90m, 12h, 30d (default: never)") String expires;

        @Override
        void run() {
            if ((out == null) == (publicKeyFile == null)) {
                throw new CliException(CliException.USAGE, "give --out FILE (a new key pair) or --public-key-file FILE, exactly one");
            }
            String publicKey;
            if (out != null) {
                publicKey = SshKeygen.ed25519(out, "stratum-bastion-" + stack);
            } else {
                try {
                    publicKey = Files.readString(publicKeyFile).strip();
                } catch (IOException e) {
                    throw new CliException(CliException.USAGE, "--public-key-file: cannot read " + publicKeyFile + ": " + e.getMessage());
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stack", stack);
            body.put("publicKey", publicKey);
            if (expires != null) body.put("expires", expires);
            JsonNode key;
            try {
                key = api().post("/v1/bastion/keys", body);
            } catch (RuntimeException e) {
                if (out != null) deleteQuietly(out);
                throw e;
            }
            done(key, "key " + key.path("id").asText() + " (" + key.path("fingerprint").asText() + ") may open tunnels into stack "
                    + stack + (out == null ? "" : "; private key in " + out + " (0600)")
                    + (key.path("expiresAt").isNull() ? "" : "; expires " + key.path("expiresAt").asText()));
        }

        private static void deleteQuietly(Path privateKey) {
            try {
                Files.deleteIfExists(privateKey);
                Files.deleteIfExists(Path.of(privateKey + ".pub"));
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    @Command(name = "list", description = "List bastion keys.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum bastion key list --stack shop"})
    static final class ListKeys extends CliCommand {
        @Option(names = "--stack") String stack;

        @Override
        void run() {
            out().list(api().get("/v1/bastion/keys" + (stack == null ? "" : "?stack=" + seg(stack))),
                    List.of("id", "stack", "fingerprint", "state", "expiresAt", "comment"));
        }
    }

    @Command(name = "revoke", description = "Revoke a key: new logins with it are refused.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum bastion key revoke bk1a2b3c4d5e6"})
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        void run() {
            JsonNode k = api().delete("/v1/bastion/keys/" + seg(id));
            done(k, "revoked " + id + " (" + k.path("fingerprint").asText() + ")");
        }
    }

    @Command(name = "command", description = "Print the ssh command that opens a tunnel to an instance through the bastion, "
            + "and the client command to use on the local port.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum bastion command orders --local-port 15432 --key shop.key"})
    static final class SshCommand extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--local-port", paramLabel = "N", description = "port on your machine (default: the instance's port)") Integer localPort;
        @Option(names = "--key", paramLabel = "FILE", description = "your private key (default: STACK.key)") String key;

        @Override
        void run() {
            JsonNode i = api().get("/v1/instances/" + seg(name));
            if (i.path("stack").isNull()) {
                throw new CliException(CliException.USAGE, "instance " + name + " belongs to no stack: the bastion only forwards to "
                        + "a stack's instances (the SSH user is the stack)");
            }
            JsonNode b = api().get("/v1/bastion");
            if (localPort != null && (localPort < 1 || localPort > 65535)) {
                throw new CliException(CliException.USAGE, "--local-port " + localPort + " is out of range: use 1-65535");
            }
            String stack = i.path("stack").asText();
            int port = i.path("endpoint").path("port").asInt();
            int local = localPort == null ? port : localPort;
            String keyFile = key == null ? stack + ".key" : key;
            String target = i.path("endpoint").path("host").asText() + ":" + port;
            String ssh = "ssh -i " + keyFile + " -f -N -L " + local + ":" + target + " " + stack + "@" + b.path("host").asText()
                    + " -p " + b.path("port").asInt();
            if (out().json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("ssh", ssh);
                json.put("client", clientLine(i, local));
                out().printJson(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(json));
                return;
            }
            List<String> lines = new ArrayList<>(List.of(ssh, "",
                    "  -i " + keyFile + "   the private key from 'stratum bastion key create' (the bastion keeps only its public half)",
                    "  -L " + local + ":" + target + "   listen on local port " + local + " and carry each connection through the "
                            + "bastion to the instance",
                    "  -f   go to the background once the tunnel is up",
                    "  -N   run no remote command: the bastion only forwards (shells, exec and sftp are refused)",
                    "  " + stack + "@" + b.path("host").asText() + " -p " + b.path("port").asInt() + "   the SSH user is the stack; "
                            + "host key " + b.path("hostKeyFingerprint").asText(),
                    "", "Then, on your machine:", "  " + clientLine(i, local)));
            lines.forEach(out()::line);
        }

        /** The engine's client through the tunnel's local end, the password read from the secret store by the CLI. */
        private String clientLine(JsonNode i, int local) {
            // a TLS-required instance: the client verifies against the CA file saved with 'stratum ca show > ca.pem'
            String ca = i.path("managed").asBoolean(true) && "require".equals(i.path("tls").asText()) ? "ca.pem" : null;
            return EngineClients.shellLine(EngineClients.client(api(), i.path("engine").asText()), new io.stratum.core.engine.ClientCommand.Target(
                    "127.0.0.1", local, i.path("masterUser").asText(), i.path("database").asText(), ca),
                    "stratum secret get " + i.path("masterSecret").asText() + " -o json | jq -r .value.password");
        }
    }
}
