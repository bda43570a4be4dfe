package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The CLI's only way to the server: a bearer token over HTTPS trusting exactly Stratum's CA, or over the server's local
 * Unix socket when this host's server offers one to this user (see {@link Connection#socket()}).
 */
public final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Connection connection;
    private final Transport transport;

    public ApiClient(Connection connection) {
        this.connection = connection;
        this.transport = connection.socket() != null ? new UnixSocketTransport(connection.socket(), connection.socketOwner())
                : new HttpsTransport(connection);
    }

    /** Closes the connections and stops the client's threads at once (a CLI run ends, a test harness closes). */
    @Override
    public void close() {
        transport.close();
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    /** A resource and the validator the server gave it ({@code ETag}); a null body: unchanged from the one asked with. */
    public record Tagged(JsonNode body, String etag) {}

    /**
     * A conditional read that waits on the server: with {@code etag} (from the last answer) the server answers as soon
     * as the resource differs from it, or says "unchanged" after {@code waitSeconds}; without one it answers at once.
     */
    public Tagged awaitChange(String path, String etag, int waitSeconds) {
        Map<String, String> extra = etag == null ? Map.of() : Map.of("If-None-Match", etag, "Prefer", "wait=" + waitSeconds);
        try (Transport.Reply res = exchange("GET", path, extra, null)) {
            if (res.status() == 304) return new Tagged(null, etag);
            String body = res.text();
            if (res.status() >= 400) throw failure(res.status(), body);
            return new Tagged(JSON.readTree(body), res.header("ETag"));
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Reads a Server-Sent Events stream, handing each event's data to {@code onData} until the stream ends. */
    public void stream(String path, Consumer<String> onData) {
        try (Transport.Reply res = exchange("GET", path, Map.of("Accept", "text/event-stream"), null)) {
            if (res.status() != 200) throw failure(res.status(), res.text());
            BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) onData.accept(line.substring(5).trim());
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) throw unreachable(e);
        }
    }

    private JsonNode send(String method, String path, Object body) {
        try (Transport.Reply res = exchange(method, path, Map.of(), body == null ? null : write(body))) {
            String text = res.text();
            if (res.status() >= 400) throw failure(res.status(), text);
            return text.isEmpty() ? null : JSON.readTree(text);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** One request with the token and JSON headers ({@code extra} adds or replaces some); the caller closes the reply. */
    private Transport.Reply exchange(String method, String path, Map<String, String> extra, String body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + connection.token());
        headers.put("Accept", "application/json");
        if (body != null) headers.put("Content-Type", "application/json");
        headers.putAll(extra);
        try {
            CliTiming.mark("client ready");
            long start = System.nanoTime();
            Transport.Reply reply = transport.send(method, path, headers, body, TIMEOUT);
            CliTiming.request(start);
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "cannot send this request: " + e.getMessage());
        }
    }

    /** Turns a problem+json answer into one readable message: detail, then each field error. */
    static CliException failure(int status, String body) {
        StringBuilder msg = new StringBuilder();
        try {
            JsonNode p = JSON.readTree(body);
            boolean fields = p.path("errors").isArray() && !p.path("errors").isEmpty();
            msg.append(fields ? p.path("title").asText("invalid request") + ":"
                    : p.path("detail").asText(p.path("title").asText("HTTP " + status)));
            for (JsonNode e : p.path("errors")) {
                msg.append("\n  ").append(e.path("field").asText()).append(": ").append(e.path("message").asText());
            }
        } catch (IOException | RuntimeException e) {
            msg.append("HTTP ").append(status);
        }
        return new CliException(CliException.forStatus(status), msg.toString());
    }

    private CliException unreachable(IOException e) {
        if (e instanceof javax.net.ssl.SSLHandshakeException) {
            return new CliException(CliException.USAGE, "the server at " + connection.url() + " presented a certificate that the CA in "
                    + connection.caFile() + " did not sign: set STRATUM_CA to that server's CA certificate ('stratum ca show' on the "
                    + "server host prints it)");
        }
        if (e instanceof java.nio.channels.ClosedByInterruptException) return new CliException(CliException.FAILED, "interrupted");
        String why = e instanceof ConnectException || e instanceof SocketException && String.valueOf(e.getMessage()).contains("refused")
                ? "connection refused" : String.valueOf(e.getMessage());
        return new CliException(CliException.FAILED, "cannot reach the Stratum server at " + transport.describe() + " (" + why
                + "); is it running? Start it with 'bin/stratum up'");
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
