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
}
