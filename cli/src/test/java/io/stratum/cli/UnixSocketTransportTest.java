package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's HTTP/1.1 over the server's Unix socket: framing, strictness, and what it refuses to send. */
class UnixSocketTransportTest {
    private static final String ME = System.getProperty("user.name");

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String read(String response) throws IOException {
        InputStream in = bytes(response);
        UnixSocketTransport.Head head = UnixSocketTransport.readHead(in);
        return new String(UnixSocketTransport.body(head.headers(), in).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void readsBodiesFramedByLengthByChunksAndByTheEnd() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloTRAILING")).isEqualTo("hello");
        assertThat(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-T: 1\r\n\r\n"))
                .isEqualTo("hello, world");
        assertThat(read("HTTP/1.1 200 OK\r\n\r\nuntil the end")).isEqualTo("until the end");
        assertThat(read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")).isEqualTo("ok");
    }

    @Test
    void keepsStatusAndHeadersByLowerCaseName() throws IOException {
        UnixSocketTransport.Head head = UnixSocketTransport.readHead(bytes(
                "HTTP/1.1 304 Not Modified\r\nETag: \"op-1-3\"\r\nVary: a\r\nvary: b\r\n\r\n"));
        assertThat(head.status()).isEqualTo(304);
        assertThat(head.headers()).containsEntry("etag", "\"op-1-3\"").containsEntry("vary", "a, b");
    }

    @Test
    void refusesBrokenOrTruncatedAnswers() {
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n")).hasMessageContaining("not an HTTP/1.1 answer");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")).hasMessageContaining("before its Content-Length");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).hasMessageContaining("malformed Content-Length");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")).hasMessageContaining("chunk size");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")).hasMessageContaining("inside a chunk");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n"))
                .hasMessageContaining("does not end with CRLF");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")).hasMessageContaining("unsupported transfer coding");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n folded: header\r\n\r\n")).hasMessageContaining("malformed header");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n")).hasMessageContaining("inside its headers");
        assertThatThrownBy(() -> read("")).hasMessageContaining("without an answer");
        String endless = "HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(UnixSocketTransport.MAX_HEAD_BYTES / 6 + 1);
        assertThatThrownBy(() -> read(endless)).hasMessageContaining("longer than");
        String interimForever = "HTTP/1.1 100 Continue\r\n\r\n".repeat(UnixSocketTransport.MAX_HEAD_BYTES / 25 + 1);
        assertThatThrownBy(() -> read(interimForever)).hasMessageContaining("longer than");
    }

    @Test
    void refusesToSendWhatWouldSplitTheRequest() {
        assertThatThrownBy(() -> UnixSocketTransport.request("GET", "/v1/stacks", Map.of("Authorization", "Bearer x\r\nX-Evil: 1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> UnixSocketTransport.request("GET", "/v1/stacks HTTP/1.1\r\nX: y", Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request path");
        assertThatThrownBy(() -> UnixSocketTransport.request("GET", "/v1/a b", Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnixSocketTransport.request("G\r\nET", "/", Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
        String ok = new String(UnixSocketTransport.request("POST", "/v1/stacks", Map.of("Accept", "application/json"), "{\"name\":\"é\"}"),
                StandardCharsets.UTF_8);
        assertThat(ok).startsWith("POST /v1/stacks HTTP/1.1\r\n").contains("Connection: close\r\n")
                .contains("Content-Length: 13\r\n").endsWith("\r\n\r\n{\"name\":\"é\"}");
    }

    @Test
    void aServerThatNeverAnswersTimesOut(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> new UnixSocketTransport(socket, ME).send("GET", "/v1/stacks", Map.of(), null, Duration.ofMillis(300)))
                    .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("unix:" + socket);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aListenerOfAnotherUserGetsNothing(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> new UnixSocketTransport(socket, "stratum-server-user").send("GET", "/v1/stacks",
                    Map.of("Authorization", "Bearer secret-token"), null, Duration.ofSeconds(10)))
                    .isInstanceOf(IOException.class).hasMessageContaining("runs as " + ME + ", not as stratum-server-user")
                    .hasMessageNotContaining("secret-token");
            try (SocketChannel accepted = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(1024);
                assertThat(accepted.read(buf)).as("not one byte of the request, token included").isEqualTo(-1);
            }
        }
    }

    @Test
    void exchangesARequestWithAServerOnTheSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("api.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            StringBuilder seen = new StringBuilder();
            Thread answer = Thread.ofPlatform().start(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    while (!seen.toString().contains("\r\n\r\n{}")) {
                        buf.clear();
                        if (c.read(buf) < 0) break;
                        seen.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    }
                    c.write(ByteBuffer.wrap("HTTP/1.1 202 Accepted\r\nETag: \"e\"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Transport.Reply reply = new UnixSocketTransport(socket, ME).send("POST", "/v1/things", Map.of("Authorization", "Bearer t"), "{}",
                    Duration.ofSeconds(10))) {
                assertThat(reply.status()).isEqualTo(202);
                assertThat(reply.header("ETag")).isEqualTo("\"e\"");
                assertThat(reply.text()).isEqualTo("{}");
            }
            answer.join();
            assertThat(seen.toString()).startsWith("POST /v1/things HTTP/1.1\r\n").contains("Authorization: Bearer t\r\n");
        }
    }
}
