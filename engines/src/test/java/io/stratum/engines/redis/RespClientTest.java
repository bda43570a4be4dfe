package io.stratum.engines.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A server (an external "Redis" is anyone's) cannot make a health check allocate what it announces. */
class RespClientTest {
    @Test
    void anAnnouncedHugeReplyIsRefusedUnread() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[64]);
                    s.getOutputStream().write("$2000000000\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                    // the client went away
                }
            });
            try (RespClient c = new RespClient(null, "127.0.0.1", server.getLocalPort(), 5000, null)) {
                assertThatThrownBy(() -> c.call("PING")).isInstanceOf(IOException.class).hasMessageContaining("more than a check reads");
            }
            peer.interrupt();
        }
    }
}
