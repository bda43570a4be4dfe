package io.stratum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The CLI's only way to the server: HTTPS + bearer token, trusting exactly Stratum's CA. */
public final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Connection connection;
    private final HttpClient http;

    public ApiClient(Connection connection) {
        this.connection = connection;
        this.http = HttpClient.newBuilder().sslContext(trusting(connection)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Closes the connections and stops the client's threads at once (a CLI run ends, a test harness closes). */
    @Override
    public void close() {
        http.shutdownNow();
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    public JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    public JsonNode patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(write(body))));
    }

    /** A resource and the validator the server gave it ({@code ETag}); a null body: unchanged from the one asked with. */
    public record Tagged(JsonNode body, String etag) {}

    /**
     * A conditional read that waits on the server: with {@code etag} (from the last answer) the server answers as soon
     * as the resource differs from it, or says "unchanged" after {@code waitSeconds}; without one it answers at once.
     */
    public Tagged awaitChange(String path, String etag, int waitSeconds) {
        HttpRequest.Builder b = request(path).GET();
        if (etag != null) b.header("If-None-Match", etag).header("Prefer", "wait=" + waitSeconds);
        try {
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 304) return new Tagged(null, etag);
            if (res.statusCode() >= 400) throw failure(res.statusCode(), res.body());
            return new Tagged(JSON.readTree(res.body()), res.headers().firstValue("ETag").orElse(null));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
    }

    /** Reads a Server-Sent Events stream, handing each event's data to {@code onData} until the stream ends. */
    public void stream(String path, Consumer<String> onData) {
        HttpRequest req = request(path).setHeader("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
            if (res.statusCode() != 200) {
                String body = String.join("\n", res.body().toList());
                throw failure(res.statusCode(), body);
            }
            res.body().forEach(line -> {
                if (line.startsWith("data:")) onData.accept(line.substring(5).trim());
            });
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(connection.url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + connection.token())
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> res = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() >= 400) throw failure(res.statusCode(), res.body());
            return res.body() == null || res.body().isEmpty() ? null : JSON.readTree(res.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
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
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new CliException(CliException.FAILED, "cannot reach the Stratum server at " + connection.url() + " (" + why
                + "); is it running? Start it with 'bin/stratum up'");
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(Connection c) {
        try (InputStream in = Files.newInputStream(c.caFile())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(CliException.USAGE, "cannot load the CA certificate " + c.caFile() + ": " + e.getMessage());
        }
    }
}
