package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.server.ServerOptions;
import io.stratum.testkit.Proc;
import io.stratum.testkit.SourceRelay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two control planes on one machine (two homes), each with its own nftables table: neither rewrites the other's rules
 * (no "firewall.repaired" churn), each admits exactly its groups' networks; rules match the instance's own address, so
 * another service on that port elsewhere is untouched; a port taken by another process is named when a start fails.
 */
class FirewallHomesIT {
    static EngineHarness a;
    static EngineHarness b;

    static ServerOptions.Engines engines(String range) {
        return ServerOptions.Engines.defaults().withPortRange(range)
                .withFirewall(new ServerOptions.Firewall("nft", null, Duration.ofSeconds(1)));
    }

    @BeforeAll
    static void start() {
        a = new EngineHarness("fw-a", engines("25400-25449"));
        b = new EngineHarness("fw-b", engines("25450-25499"));
        for (EngineHarness h : List.of(a, b)) {
            h.ok("sg", "create", "web");
            h.ok("sg", "authorize", "web", "--cidr", "127.0.0.2/32");
            h.ok("db", "create", "pg", "--engine", "postgres", "--security-group", "web");
        }
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    static boolean admitted(EngineHarness h, String source) {
        var c = h.credentials("pg");
        try (SourceRelay relay = SourceRelay.start(source, c.path("host").asText(), c.path("port").asInt())) {
            Proc.Result r = Proc.run(List.of("psql", "-X", "-At", "-h", "127.0.0.1", "-p", String.valueOf(relay.port()), "-U", "app", "-d",
                    "app", "-c", "SELECT 'in'"), Map.of("PGPASSWORD", c.path("password").asText(), "PGCONNECT_TIMEOUT", "3"), null, null, 20);
            return r.stdout().strip().equals("in");
        }
    }

    static String table(EngineHarness h) {
        return ServerOptions.Firewall.tableFor(h.root());
    }

    @Test
    void twoHomesKeepTheirOwnTablesSideBySide() throws Exception {
        assertThat(table(a)).isNotEqualTo(table(b));
        Thread.sleep(4000); // four periodic checks each
        for (EngineHarness h : List.of(a, b)) {
            int port = h.instance("pg").path("endpoint").path("port").asInt();
            assertThat(Proc.run("nft", "list", "table", "inet", table(h)).stdout()).contains("tcp dport " + port + " ip saddr 127.0.0.2");
            assertThat(h.api().get("/v1/events?limit=1000").toString()).doesNotContain("firewall.repaired");
            assertThat(admitted(h, "127.0.0.2")).isTrue();
            assertThat(admitted(h, "127.0.0.3")).isFalse();
            assertThat(h.cli("sg", "check", "web").out()).contains("ip saddr 127.0.0.2 accept");
        }
    }

    @Test
    void anotherServiceOnTheSamePortButAnotherAddressIsUntouched() throws Exception {
        int port = a.instance("pg").path("endpoint").path("port").asInt();
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), port));
            Thread accept = Thread.ofVirtual().start(() -> {
                try (Socket s = other.accept()) {
                    s.getOutputStream().write('!');
                } catch (java.io.IOException ignored) {
                    // the test closed it
                }
            });
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), port), 3000);
                s.setSoTimeout(3000);
                assertThat(s.getInputStream().read()).as("Stratum's rules are for 127.0.0.1:" + port + " only").isEqualTo('!');
            }
            accept.join(3000);
        }
    }

    @Test
    void aPortTakenWhileTheInstanceWasStoppedIsNamedWhenItStarts() throws Exception {
        int port = b.instance("pg").path("endpoint").path("port").asInt();
        b.ok("db", "stop", "pg");
        try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            EngineHarness.Run start = b.cli("db", "start", "pg");
            assertThat(start.exit()).isNotZero();
            assertThat(start.err()).contains("port " + port).contains("taken by another process");
        }
        b.ok("db", "start", "pg");
    }
}
