package io.stratum.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HTTPS client for tests: trusts only the server's CA, as a user's client would. */
final class TestApi {
    static final ObjectMapper JSON = new ObjectMapper();
    final String url;
    final HttpClient http;

    record Answer(int status, JsonNode body, String raw, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    TestApi(String url, Path caFile) {
        this.url = url;
        this.http = HttpClient.newBuilder().sslContext(trusting(caFile)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    Answer get(String token, String path) {
        return send(builder(token, path).GET().build());
    }

    Answer delete(String token, String path) {
        return send(builder(token, path).DELETE().build());
    }

    Answer post(String token, String path, String json) {
        return post(token, path, json, Map.of());
    }

    Answer post(String token, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder b = builder(token, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return send(b.build());
    }

    HttpRequest.Builder builder(String token, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    Answer send(HttpRequest req) {
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (res.body() != null && !res.body().isEmpty() && res.body().trim().startsWith("{") || res.body().trim().startsWith("[")) {
                body = JSON.readTree(res.body());
            }
            return new Answer(res.statusCode(), body, res.body(), res);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
