package io.stratum.cli;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS to the server's URL with the JDK's HTTP client, trusting exactly the CA of the connection. */
final class HttpsTransport implements Transport {
    private final String url;
    private final HttpClient http;

    HttpsTransport(Connection connection) {
        this.url = connection.url();
        this.http = HttpClient.newBuilder().sslContext(trusting(connection)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Reply send(String method, String path, Map<String, String> headers, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::setHeader);
        HttpResponse<InputStream> res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        Map<String, String> h = new LinkedHashMap<>();
        res.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
        return new Reply(res.statusCode(), h, res.body());
    }

    @Override
    public String describe() {
        return url;
    }

    /** Closes the connections and stops the client's threads at once (a CLI run ends, a test harness closes). */
    @Override
    public void close() {
        http.shutdownNow();
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
