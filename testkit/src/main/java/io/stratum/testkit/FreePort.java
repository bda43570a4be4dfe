package io.stratum.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

public final class FreePort {
    private FreePort() {}

    /** A TCP port free on 127.0.0.1 right now. */
    public static int find() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * True once something listens on 127.0.0.1:{@code port}. Checked by trying to bind, not by connecting: a probe
     * connection would reach whatever is behind the listener (MariaDB counts aborted handshakes per host).
     */
    public static boolean listening(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException bound) {
            return true;
        }
    }
}
