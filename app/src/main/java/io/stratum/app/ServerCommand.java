package io.stratum.app;

import io.stratum.cli.Terminal;
import io.stratum.core.home.StratumHome;
import io.stratum.server.ServerOptions;
import io.stratum.server.StratumServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "server", description = "Run the control plane (HTTPS API) in the foreground.", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  stratum server", "  stratum server --home /srv/stratum --listen 127.0.0.1:7443",
                "  STRATUM_STORE_PASSWORD=... stratum server --store jdbc:postgresql://127.0.0.1:5432/stratum?user=stratum"})
final class ServerCommand implements Callable<Integer> {
    @ParentCommand
    io.stratum.cli.StratumCli parent;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "where the API listens (default 127.0.0.1:7443; port 0 picks one)")
    String listen;

    @Option(names = "--advertise-host", paramLabel = "HOST", description = "host name clients use (default: the listen host)")
    String advertiseHost;

    @Option(names = "--store", paramLabel = "JDBC_URL",
            description = "metadata store: jdbc:sqlite:FILE (default STRATUM_HOME/stratum.db) or jdbc:postgresql://...; "
                    + "the PostgreSQL password comes from STRATUM_STORE_PASSWORD, never the command line")
    String store;

    @Option(names = "--port-range", paramLabel = "FIRST-LAST", description = "ports for new instances (default 15000-15999)")
    String portRange;

    @Option(names = "--storage-check-seconds", hidden = true, description = "how often storage is sampled (default 15)")
    Integer storageCheckSeconds;


    @Option(names = "--bastion-listen", paramLabel = "HOST:PORT",
            description = "where the SSH bastion listens (default 127.0.0.1:2222; port 0 picks one)")
    String bastionListen;

    @Option(names = "--bastion-idle-minutes", paramLabel = "N", description = "close idle bastion sessions after N minutes (default 15)")
    Integer bastionIdleMinutes;

    @Option(names = "--bastion-max-session-minutes", paramLabel = "N",
            description = "close any bastion session after N minutes (default 720)")
    Integer bastionMaxSessionMinutes;

    @Option(names = "--firewall-check-seconds", hidden = true, description = "how often the nftables table is checked (default 10)")
    Integer firewallCheckSeconds;

    @Option(names = "--nft", hidden = true, description = "the nft command (default: nft on PATH)")
    String nft;

    @Option(names = "--single-tenant", description = "without root, instances share the control plane's OS user and are not "
            + "isolated from each other: allow instances of more than one stack anyway (all stacks trust each other)")
    boolean singleTenant;

    private final Map<String, String> env;
    private final PrintWriter out;

    ServerCommand(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        StratumHome home = StratumHome.resolve(homeOption(), env);
        ServerOptions base = ServerOptions.of(home, listen, advertiseHost, store, env.get("STRATUM_STORE_PASSWORD"));
        ServerOptions options = base.withEngines(base.engines().withPortRange(portRange).withStorageInterval(
                storageCheckSeconds == null ? null : java.time.Duration.ofSeconds(storageCheckSeconds)));
        options = options.withSingleTenant(singleTenant);
        ServerOptions.Firewall fw = options.engines().firewall();
        options = options.withEngines(options.engines().withFirewall(new ServerOptions.Firewall(nft == null ? fw.nftCommand() : nft,
                fw.table(), firewallCheckSeconds == null ? fw.checkInterval() : java.time.Duration.ofSeconds(firewallCheckSeconds))));
        if (bastionListen != null || bastionIdleMinutes != null || bastionMaxSessionMinutes != null) {
            ServerOptions.Bastion b = bastionListen == null ? options.bastion() : ServerOptions.Bastion.parse(bastionListen);
            options = options.withBastion(b.withTimeouts(minutes("bastion-idle-minutes", bastionIdleMinutes),
                    minutes("bastion-max-session-minutes", bastionMaxSessionMinutes)));
        }
        StratumServer server;
        try {
            server = StratumServer.start(options, Clock.systemUTC());
        } catch (RuntimeException e) {
            if (causedBy(e, java.net.BindException.class) && String.valueOf(e.getMessage()).contains("bastion")) {
                throw new io.stratum.cli.CliException(io.stratum.cli.CliException.USAGE, "cannot listen on "
                        + options.bastion().host() + ":" + options.bastion().port()
                        + " for the SSH bastion: address in use; choose another with --bastion-listen HOST:PORT");
            }
            if (e instanceof io.stratum.store.StoreUnavailableException) {
                throw new io.stratum.cli.CliException(io.stratum.cli.CliException.USAGE, e.getMessage());
            }
            if (causedBy(e, java.net.BindException.class)) {
                throw new io.stratum.cli.CliException(io.stratum.cli.CliException.USAGE, "cannot listen on "
                        + options.listenHost() + ":" + options.listenPort()
                        + ": address in use (another Stratum?); choose another with --listen HOST:PORT");
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "stratum-shutdown"));
        out.println("Stratum control plane is up.");
        out.println("  API:            " + server.url() + "/v1   (OpenAPI: " + server.url() + "/v1/openapi.json)");
        out.println("  CA certificate: " + server.caFile());
        if (server.adminTokenCreated()) {
            out.println("  Admin token:    created in " + server.adminTokenFile() + " (mode 0600)");
            if (Terminal.interactive()) {
                out.println("                  " + Files.readString(server.adminTokenFile()).trim() + "   (shown once)");
            }
        } else {
            out.println("  Admin token:    " + server.adminTokenFile());
        }
        out.println("  Try:            bin/stratum stack create shop   (in another shell; Ctrl-C here stops the server)");
        out.flush();
        stopped.await();
        return 0;
    }

    private static java.time.Duration minutes(String option, Integer value) {
        if (value == null) return null;
        if (value < 1) throw new io.stratum.cli.CliException(io.stratum.cli.CliException.USAGE, "--" + option + " must be at least 1");
        return java.time.Duration.ofMinutes(value);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    private String homeOption() {
        return parent == null ? null : parent.home();
    }
}
