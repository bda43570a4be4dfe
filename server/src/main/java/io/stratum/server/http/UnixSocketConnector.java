package io.stratum.server.http;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API on a Unix socket beside the HTTPS port, for the CLI on this host: plain HTTP/1.1 without a TLS handshake,
 * which costs a cold CLI process more than the rest of a request. Access is the file system's: the socket lives in a
 * 0700 directory of the server's user (the same guard as admin.token) and is 0600 itself; every request still needs a
 * bearer token, as on the HTTPS port. Optional: when the socket cannot be created (a path longer than the kernel takes,
 * a file system without sockets, another live server on the same home) the server runs without it and the CLI uses
 * HTTPS. Jetty removes the socket file when the connector stops (the server's clean stop).
 */
public final class UnixSocketConnector {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketConnector.class);
    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    private UnixSocketConnector() {}

    /** Starts a connector on {@code socket} in the running {@code server}; empty (and logged) when it cannot. */
    public static Optional<UnixDomainServerConnector> start(Server server, HttpConfiguration base, Path socket) {
        String why = unusable(socket);
        if (why != null) {
            LOG.info("API Unix socket not created ({}): the CLI uses HTTPS", why);
            return Optional.empty();
        }
        UnixDomainServerConnector c = new UnixDomainServerConnector(server, new HttpConnectionFactory(new HttpConfiguration(base)));
        c.setUnixDomainPath(socket);
        server.addConnector(c);
        try {
            c.start();
        } catch (Exception e) {
            // not stopped: stopping removes the file at the path, which is not this connector's when its bind failed
            server.removeConnector(c);
            LOG.warn("API Unix socket {} not available ({}): the CLI uses HTTPS", socket, e.toString());
            return Optional.empty();
        }
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return Optional.of(c);
        } catch (IOException e) {
            LOG.warn("API Unix socket {} closed: cannot make it 0600 ({})", socket, e.toString());
            try {
                c.stop();   // removes its socket
            } catch (Exception stopping) {
                LOG.warn("cannot stop the API Unix socket {}: {}", socket, stopping.toString());
            }
            server.removeConnector(c);
            return Optional.empty();
        }
    }

    /** Why the socket cannot be used at {@code socket} (removing a stale one left by a killed server), or null. */
    static String unusable(Path socket) {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return "the path " + socket + " is longer than " + MAX_PATH_BYTES + " bytes";
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return null;
        try {
            int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0170000) != 0140000) return socket + " exists and is not a socket";
        } catch (IOException e) {
            return "cannot read " + socket + ": " + e.getMessage();
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return "another server answers on " + socket;
        } catch (IOException refused) {
            // nobody listens: left by a server that was killed
        }
        try {
            Files.delete(socket);
            return null;
        } catch (IOException e) {
            return "cannot remove the stale " + socket + ": " + e.getMessage();
        }
    }
}
