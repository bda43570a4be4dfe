package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tunnel", description = "Open a local port to an instance for desktop tools (psql, MySQL Workbench, ...): managed "
        + "instances through the bastion (OpenSSH ssh with your key), external ones through Stratum's tunnel. Runs until Ctrl-C.",
        mixinStandardHelpOptions = true, footer = {"", "Examples:", "  stratum tunnel orders --key shop.key --local-port 15432",
                "  stratum tunnel legacy --local-port 25432"})
final class TunnelCommand extends CliCommand {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--local-port", paramLabel = "N", description = "port on 127.0.0.1 (default: a free one)") Integer localPort;
    @Option(names = "--key", paramLabel = "FILE", description = "bastion private key for managed instances (default: STACK.key)")
    String key;

    @Override
    void run() {
        if (localPort != null && (localPort < 1 || localPort > 65535)) {
            throw new CliException(CliException.USAGE, "--local-port " + localPort + " is out of range: use 1-65535");
        }
        JsonNode i = api().get("/v1/instances/" + seg(name));
        if (!i.path("managed").asBoolean()) {
            TcpRelay relay = new TcpRelay(localPort == null ? 0 : localPort, i.path("via").path("host").asText(),
                    i.path("via").path("port").asInt());
            announce(relay.port(), "Stratum's connection to " + i.path("endpoint").path("host").asText() + ":"
                    + i.path("endpoint").path("port").asInt());
            relay.serve();
            return;
        }
        if (i.path("stack").isNull()) {
            throw new CliException(CliException.USAGE, "instance " + name + " belongs to no stack: the bastion only forwards to a "
                    + "stack's instances");
        }
        JsonNode b = api().get("/v1/bastion");
        String stack = i.path("stack").asText();
        String keyFile = key == null ? stack + ".key" : key;
        if (!Files.isReadable(Path.of(keyFile))) {
            throw new CliException(CliException.USAGE, "--key " + keyFile + " is not readable: give the private key from "
                    + "'stratum bastion key create --stack " + stack + " --out FILE'");
        }
        int port = localPort == null ? freePort() : localPort;
        try {
            Path knownHosts = Files.createTempFile("stratum-bastion", ".known_hosts");
            knownHosts.toFile().deleteOnExit();
            Files.writeString(knownHosts, "[" + b.path("host").asText() + "]:" + b.path("port").asInt() + " " + b.path("hostKey").asText() + "\n");
            List<String> argv = List.of("ssh", "-i", keyFile, "-N", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "ServerAliveInterval=15",
                    "-L", "127.0.0.1:" + port + ":" + i.path("endpoint").path("host").asText() + ":" + i.path("endpoint").path("port").asInt(),
                    "-p", String.valueOf(b.path("port").asInt()), stack + "@" + b.path("host").asText());
            Process ssh = new ProcessBuilder(argv).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(ssh::destroy));
            announce(port, "the bastion (" + stack + "@" + b.path("host").asText() + ":" + b.path("port").asInt() + ", host key "
                    + b.path("hostKeyFingerprint").asText() + ")");
            int exit = ssh.waitFor();
            if (exit != 0) throw new CliException(CliException.FAILED, "ssh exited with " + exit + " (see its message above)");
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot run ssh (install openssh-client): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void announce(int port, String via) {
        out().line("127.0.0.1:" + port + " -> " + name + " through " + via + ". Ctrl-C to stop.");
        spec.commandLine().getOut().flush();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "no free local port: " + e.getMessage());
        }
    }
}
