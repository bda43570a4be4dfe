package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratum.core.home.StratumHome;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the CLI takes the home's Unix socket instead of HTTPS, and every place someone else could put one. */
class ConnectionTest {
    @TempDir
    Path root;

    private StratumHome home(String socketInJson) throws Exception {
        StratumHome home = new StratumHome(root);
        Files.writeString(home.adminToken(), "token\n");
        Files.createDirectories(home.caDir());
        Files.writeString(home.caCertificate(), "not read here");
        Files.createDirectories(home.runDir());
        Files.writeString(home.serverJson(), "{\"url\":\"https://127.0.0.1:7443\""
                + (socketInJson == null ? "" : ",\"socket\":\"" + socketInJson + "\"") + "}");
        return home;
    }

    private static ServerSocketChannel listen(Path socket) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return s;
    }

    @Test
    void theHomesOwnSocketIsUsedWhenEverythingComesFromTheHome() throws Exception {
        StratumHome home = home(root.resolve("run/api.sock").toString());
        try (var ignored = listen(home.apiSocket())) {
            Connection c = Connection.resolve(root.toString(), Map.of());
            assertThat(c.socket()).isEqualTo(home.apiSocket());
            assertThat(c.socketOwner()).isEqualTo(System.getProperty("user.name"));
            assertThat(c.toString()).doesNotContain("token\n").contains("token=redacted");
        }
    }

    @Test
    void aServerTokenOrCaNamedByTheUserMeansHttps() throws Exception {
        StratumHome home = home(root.resolve("run/api.sock").toString());
        try (var ignored = listen(home.apiSocket())) {
            for (var env : java.util.List.of(Map.of("STRATUM_URL", "https://db.internal:7443"), Map.of("STRATUM_TOKEN", "other"),
                    Map.of("STRATUM_CA", home.caCertificate().toString()))) {
                assertThat(Connection.resolve(root.toString(), env).socket()).as(env.toString()).isNull();
            }
        }
    }

    @Test
    void aSocketElsewhereThanTheHomesIsNeverUsed(@TempDir Path elsewhere) throws Exception {
        Path other = elsewhere.resolve("api.sock");
        home(other.toString());
        try (var ignored = listen(other)) {
            assertThat(Connection.resolve(root.toString(), Map.of()).socket()).isNull();
        }
    }

    @Test
    void aLinkAFifoOrAFileInItsPlaceIsNotASocket(@TempDir Path elsewhere) throws Exception {
        StratumHome home = home(root.resolve("run/api.sock").toString());
        Path real = elsewhere.resolve("real.sock");
        try (var ignored = listen(real)) {
            Files.createSymbolicLink(home.apiSocket(), real);
            assertThat(Connection.socketOwner(home, home.apiSocket().toString())).as("a link to a live socket").isNull();
        }
        Files.delete(home.apiSocket());
        new ProcessBuilder("mkfifo", home.apiSocket().toString()).start().waitFor();
        assertThat(Connection.socketOwner(home, home.apiSocket().toString())).as("a FIFO").isNull();
        Files.delete(home.apiSocket());
        Files.writeString(home.apiSocket(), "");
        assertThat(Connection.socketOwner(home, home.apiSocket().toString())).as("a file").isNull();
    }

    @Test
    void aSocketOfAnotherUserThanTheOneWhoWroteServerJsonIsNotUsed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "hands the socket to another user");
        StratumHome home = home(root.resolve("run/api.sock").toString());
        try (var ignored = listen(home.apiSocket())) {
            assertThat(Connection.socketOwner(home, home.apiSocket().toString())).isEqualTo("root");
            new ProcessBuilder("chown", "nobody", home.apiSocket().toString()).start().waitFor();
            assertThat(Connection.socketOwner(home, home.apiSocket().toString())).isNull();
            new ProcessBuilder("chown", "root", home.apiSocket().toString()).start().waitFor();
            new ProcessBuilder("chown", "nobody", home.runDir().toString()).start().waitFor();
            assertThat(Connection.socketOwner(home, home.apiSocket().toString())).as("its directory another user's").isNull();
        }
    }
}
