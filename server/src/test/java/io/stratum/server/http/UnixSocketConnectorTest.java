package io.stratum.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the API's Unix socket can be created, and what is never removed to create it. */
class UnixSocketConnectorTest {

    @Test
    void aFreePathIsUsable(@TempDir Path dir) {
        assertThat(UnixSocketConnector.unusable(dir.resolve("api.sock"))).isNull();
    }

    @Test
    void aSocketLeftByAKilledServerIsRemoved(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();   // closing a listener leaves its file, as a SIGKILL does
        assertThat(UnixSocketConnector.unusable(socket)).isNull();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aLiveServersSocketIsNeverTaken(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            assertThat(UnixSocketConnector.unusable(socket)).contains("another server answers");
            assertThat(socket).exists();
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("api.sock"), "keep me");
        assertThat(UnixSocketConnector.unusable(file)).contains("not a socket");
        assertThat(file).hasContent("keep me");
        Path target = Files.writeString(dir.resolve("target"), "keep me too");
        Path link = Files.createSymbolicLink(dir.resolve("link.sock"), target);
        assertThat(UnixSocketConnector.unusable(link)).contains("not a socket");
        assertThat(target).hasContent("keep me too");
        assertThat(link).isSymbolicLink();
        Path fifo = dir.resolve("fifo.sock");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThat(UnixSocketConnector.unusable(fifo)).contains("not a socket");
        assertThat(fifo).exists();
    }

    @Test
    void aPathLongerThanTheKernelTakesIsNotUsed(@TempDir Path dir) {
        Path deep = dir.resolve("d".repeat(120)).resolve("api.sock");
        assertThat(UnixSocketConnector.unusable(deep)).contains("longer than 107 bytes");
    }
}
