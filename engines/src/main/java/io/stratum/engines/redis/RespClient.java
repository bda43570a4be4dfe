package io.stratum.engines.redis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal RESP client for Stratum's own checks (AUTH as the master user, SELECT, PING) over TCP. */
final class RespClient implements AutoCloseable {
    /** The largest reply a check reads: a server (an external one is anyone's) cannot make Stratum allocate more. */
    static final int MAX_REPLY = 1 << 20;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** Plain TCP from {@code source}, or TLS trusting only {@code caFile} (the internal CA) when it is given. */
    RespClient(String source, String host, int port, int timeoutMs, java.nio.file.Path caFile) throws IOException {
        Socket plain = new Socket();
        if (source != null) plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress(host, port), timeoutMs);
        socket = caFile == null ? plain : tls(plain, host, port, caFile);
        socket.setSoTimeout(timeoutMs);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends a command and returns a simple/bulk reply as text; an error reply throws with its message. */
    String call(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        int type = in.read();
        String line = readLine();
        return switch (type) {
            case '+', ':' -> line;
            case '-' -> throw new IOException(line);
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) yield null;
                if (len > MAX_REPLY) throw new IOException("a reply of " + len + " bytes is more than a check reads (" + MAX_REPLY + ")");
                byte[] data = in.readNBytes(len + 2);
                yield new String(data, 0, len, StandardCharsets.UTF_8);
            }
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private static Socket tls(Socket plain, String host, int port, java.nio.file.Path caFile) throws IOException {
        try (var in = java.nio.file.Files.newInputStream(caFile)) {
            var ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            var s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            s.startHandshake();
            return s;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS to " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
            if (sb.length() > MAX_REPLY) throw new IOException("a reply line longer than " + MAX_REPLY + " bytes");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
