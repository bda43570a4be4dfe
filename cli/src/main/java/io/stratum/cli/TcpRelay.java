package io.stratum.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Listens on 127.0.0.1:PORT and copies each connection to and from a target, until the process ends. */
final class TcpRelay {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;

    TcpRelay(int localPort, String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", localPort));
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "--local-port " + localPort + ": cannot listen on 127.0.0.1:" + localPort + " ("
                    + e.getMessage() + "); choose another port");
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Serves connections forever (the command runs in the foreground until Ctrl-C). */
    void serve() {
        while (true) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket target = new Socket()) {
            target.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            Thread back = Thread.ofVirtual().start(() -> copy(target, client));
            copy(client, target);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the connection ends; the relay keeps serving others
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // either side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
