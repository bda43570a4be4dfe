package io.stratum.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;

/**
 * HTTP/1.1 to the server's local Unix socket (see the server's UnixSocketConnector): what a CLI call on the server's
 * host saves is the TLS set-up and handshake, which a fresh JVM runs cold (about 0.2 s of a 0.4 s call). One connection
 * per request ({@code Connection: close}); the answer's body is framed by {@code Content-Length}, chunked coding or the
 * end of the connection. The JDK's HTTP client cannot reach a Unix socket, and a client library that can would cost a
 * short call more classes than this exchange needs, so this is the small subset of RFC 9112 the API uses, parsed
 * strictly: anything else is refused as a broken answer.
 */
final class UnixSocketTransport implements Transport {
    /** Status line and headers together. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private final Path socket;
    private final String owner;

    /** Requests to {@code socket}, answered only by a process running as {@code owner} (the server's user). */
    UnixSocketTransport(Path socket, String owner) {
        this.socket = socket;
        this.owner = owner;
    }

    @Override
    public Reply send(String method, String path, Map<String, String> headers, String body, Duration timeout)
            throws IOException, InterruptedException {
        byte[] request = request(method, path, headers, body);
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        AtomicBoolean settled = new AtomicBoolean();   // the head arrived, or the watchdog closed the channel: whichever came first
        boolean[] timedOut = {false};
        // a blocking channel has no timeouts: a watchdog closes it when connecting, sending and the answer's head take too long
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(timeout);
                if (settled.compareAndSet(false, true)) channel.close();
            } catch (InterruptedException | IOException answered) {
                // the head arrived in time
            }
        });
        try {
            Head head;
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                requireOwner(channel);
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) channel.write(out);
                head = readHead(in);
            } finally {
                timedOut[0] = !settled.compareAndSet(false, true);
                watchdog.interrupt();
            }
            if (timedOut[0]) throw new IOException("closed by the watchdog");
            InputStream content = method.equals("HEAD") || head.status() == 204 || head.status() == 304 ? InputStream.nullInputStream()
                    : body(head.headers(), in);
            return new Reply(head.status(), head.headers(), new FilterInputStream(content) {
                @Override
                public void close() throws IOException {
                    channel.close();
                }
            });
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (timedOut[0]) throw new HttpTimeoutException("no answer from " + describe() + " within " + timeout.toSeconds() + " s");
            throw e;
        }
    }

    /** Refuses a listener that does not run as the server's user: the token is not sent to it. */
    private void requireOwner(SocketChannel channel) throws IOException {
        String peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        if (!peer.equals(owner)) {
            throw new IOException("the process on " + socket + " runs as " + peer + ", not as " + owner
                    + " who owns the Stratum home: nothing was sent to it");
        }
    }

    @Override
    public String describe() {
        return "unix:" + socket;
    }

    @Override
    public void close() {
        // nothing stays open between requests
    }

    /** The request's bytes; a value that would split the message (CR, LF) or a path with spaces is refused. */
    static byte[] request(String method, String path, Map<String, String> headers, String body) {
        if (!method.matches("[A-Z]+")) throw new IllegalArgumentException("not an HTTP method: " + method);
        if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("not a request path: " + path);
        }
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n");
        headers.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9-]+") || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("header " + name + " has a value that cannot be sent");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        if (body != null) head.append("Content-Length: ").append(payload.length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + payload.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(payload, 0, all, h.length, payload.length);
        return all;
    }

    record Head(int status, Map<String, String> headers) {}

    /** Reads the status line and the headers, up to the empty line that ends them. */
    static Head readHead(InputStream in) throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        while (true) {
            Head head = readOneHead(in, budget);
            if (head.status() >= 200) return head; // else an interim answer (100 Continue): the final one follows
        }
    }

    private static Head readOneHead(InputStream in, int[] budget) throws IOException {
        String statusLine = line(in, budget);
        if (statusLine == null) throw new IOException("the server closed the connection without an answer");
        if (!statusLine.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            String line = line(in, budget);
            if (line == null) throw new IOException("the answer ended inside its headers");
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new IOException("malformed header line: " + line);
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Head(status, headers);
    }

    /** The body as framed by the headers: chunked coding, a length, or everything until the server closes. */
    static InputStream body(Map<String, String> headers, InputStream in) throws IOException {
        String coding = headers.get("transfer-encoding");
        if (coding != null) {
            if (!coding.equalsIgnoreCase("chunked")) throw new IOException("unsupported transfer coding: " + coding);
            return new Chunked(in);
        }
        String length = headers.get("content-length");
        if (length == null) return in;
        if (!length.matches("[0-9]{1,18}")) throw new IOException("malformed Content-Length: " + length);
        return new Bounded(in, Long.parseLong(length));
    }

    /** One CRLF-terminated line (a bare LF is accepted), or null at the end of the stream before any byte. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0) return null;
                throw new IOException("the answer ended inside a line");
            }
            if (--budget[0] < 0) throw new IOException("the answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
            if (b == '\n') break;
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A body cut out of the connection's stream: single bytes are read through {@link #read(byte[], int, int)}. */
    private abstract static class Framed extends FilterInputStream {
        Framed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of exactly {@code remaining} bytes; ending sooner is an error, not a short answer. */
    private static final class Bounded extends Framed {
        private long remaining;

        Bounded(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new IOException("the answer ended " + remaining + " bytes before its Content-Length");
            remaining -= n;
            return n;
        }
    }

    /** Chunked transfer coding (RFC 9112 §7.1): sizes in hex, extensions ignored, trailers read and dropped. */
    private static final class Chunked extends Framed {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                left = nextSize();
                if (left == 0) {
                    int[] budget = {MAX_HEAD_BYTES};
                    String trailer;
                    do {
                        trailer = line(in, budget);
                        if (trailer == null) throw new IOException("the answer ended inside its trailers");
                    } while (!trailer.isEmpty());
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the answer ended inside a chunk");
            left -= n;
            if (left == 0 && (in.read() != '\r' || in.read() != '\n')) throw new IOException("a chunk does not end with CRLF");
            return n;
        }

        private long nextSize() throws IOException {
            int[] budget = {1024};
            String line = line(in, budget);
            if (line == null) throw new IOException("the answer ended before its last chunk");
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
            if (!hex.matches("[0-9A-Fa-f]{1,15}")) throw new IOException("malformed chunk size: " + line);
            return Long.parseLong(hex, 16);
        }
    }
}
