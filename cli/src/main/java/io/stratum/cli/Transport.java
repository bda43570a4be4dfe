package io.stratum.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** How the CLI's requests reach the API: HTTPS ({@link HttpsTransport}) or the server's local Unix socket ({@link UnixSocketTransport}). */
interface Transport extends AutoCloseable {

    /**
     * Sends one request and returns once the status and headers have arrived ({@code timeout} bounds that wait, not the
     * body: an event stream runs as long as the server sends). The caller closes the reply.
     */
    Reply send(String method, String path, Map<String, String> headers, String body, Duration timeout)
            throws IOException, InterruptedException;

    /** Where requests go, for messages: the server's URL or the socket. */
    String describe();

    /** Ends open connections and the transport's threads. */
    @Override
    void close();

    /** An answer: status, headers by lower-case name (a repeated one joined with ", "), and the body as sent. */
    record Reply(int status, Map<String, String> headers, InputStream body) implements AutoCloseable {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** The whole body as UTF-8 text; closes the reply. */
        String text() throws IOException {
            try (InputStream in = body) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
