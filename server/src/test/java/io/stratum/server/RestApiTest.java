package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratum.core.home.StratumHome;
import io.stratum.core.model.OperationState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST API over real HTTPS against a real SQLite store: conventions, auth, bad input, idempotency, events. */
class RestApiTest {
    @TempDir
    static Path home;
    static StratumServer server;
    static TestApi api;
    static String admin;
    static String operator;
    static String reader;

    @BeforeAll
    static void start() throws Exception {
        server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null), Clock.systemUTC());
        api = new TestApi(server.url(), server.caFile());
        admin = Files.readString(server.adminTokenFile()).trim();
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"blog\"}").status()).isEqualTo(201);
        operator = api.post(admin, "/v1/tokens", "{\"name\":\"shop-ci\",\"role\":\"operator\",\"stacks\":[\"shop\"]}")
                .body().path("token").asText();
        reader = api.post(admin, "/v1/tokens", "{\"name\":\"dash\",\"role\":\"reader\"}").body().path("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int count(String path) {
        return api.get(admin, path).body().size();
    }

    static void assertProblem(TestApi.Answer a, int status, String code) {
        assertThat(a.status()).as(a.raw()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.body().path("status").asInt()).isEqualTo(status);
        assertThat(a.body().path("code").asText()).isEqualTo(code);
        assertThat(a.body().path("detail").asText()).isNotBlank();
    }

    @Test
    void createsAndReadsStacksAndStages() {
        var created = api.post(admin, "/v1/stacks", "{\"name\":\"orders\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/stacks/orders");
        assertThat(created.body().path("name").asText()).isEqualTo("orders");
        var stage = api.post(admin, "/v1/stacks/orders/stages", "{\"name\":\"prod\"}");
        assertThat(stage.status()).isEqualTo(201);
        assertThat(stage.body().path("address").asText()).isEqualTo("orders/prod");
        assertThat(api.get(admin, "/v1/stacks/orders/stages/prod").body().path("stack").asText()).isEqualTo("orders");
        assertThat(api.get(reader, "/v1/stacks/orders/stages").body()).hasSize(1);
        assertProblem(api.get(admin, "/v1/stacks/orders/stages/dev"), 404, "not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop", "1shop", "a--b", "shop-", "", "shop_x", "../etc",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
    void invalidNamesAreRejectedNamingTheFieldAndNothingChanges(String name) {
        int stacks = count("/v1/stacks");
        var a = api.post(admin, "/v1/stacks", "{\"name\":" + TestApi.JSON.valueToTree(name) + "}");
        assertProblem(a, 400, "validation-failed");
        assertThat(a.body().path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(count("/v1/stacks")).isEqualTo(stacks);
        int stages = count("/v1/stages");
        assertProblem(api.post(admin, "/v1/stacks/shop/stages", "{\"name\":" + TestApi.JSON.valueToTree(name) + "}"), 400,
                "validation-failed");
        assertThat(count("/v1/stages")).isEqualTo(stages);
    }

    @Test
    void unknownFieldsWrongTypesAndMalformedBodiesNameTheField() {
        int stacks = count("/v1/stacks");
        var unknown = api.post(admin, "/v1/stacks", "{\"name\":\"newstack\",\"colour\":\"red\"}");
        assertProblem(unknown, 400, "validation-failed");
        assertThat(unknown.body().path("errors").get(0).path("field").asText()).isEqualTo("colour");
        assertThat(unknown.body().path("errors").get(0).path("message").asText()).contains("unknown field").contains("name");
        for (String body : List.of("{\"name\":5}", "{\"name\":true}", "{\"name\":[\"a\"]}", "{\"name\":{}}")) {
            var wrong = api.post(admin, "/v1/stacks", body);
            assertProblem(wrong, 400, "validation-failed");
            assertThat(wrong.body().path("errors").get(0).path("field").asText()).as(body).isEqualTo("name");
        }
        var roleType = api.post(admin, "/v1/tokens", "{\"name\":\"x\",\"role\":\"reader\",\"stacks\":\"shop\"}");
        assertThat(roleType.body().path("errors").get(0).path("field").asText()).isEqualTo("stacks");
        assertProblem(api.post(admin, "/v1/stacks", "{not json"), 400, "validation-failed");
        assertProblem(api.post(admin, "/v1/stacks", ""), 400, "validation-failed");
        var missing = api.post(admin, "/v1/stacks", "{}");
        assertThat(missing.body().path("errors").get(0).path("message").asText()).contains("required");
        assertThat(count("/v1/stacks")).isEqualTo(stacks);
        var limit = api.get(admin, "/v1/events?limit=abc");
        assertProblem(limit, 400, "validation-failed");
        assertThat(limit.body().path("errors").get(0).path("field").asText()).isEqualTo("limit");
    }

    @Test
    void missingOrWrongTokensAreRefused() {
        var none = api.post(null, "/v1/stacks", "{\"name\":\"nobody\"}");
        assertProblem(none, 401, "missing-token");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(api.get("stm_not-a-real-token", "/v1/stacks"), 401, "invalid-token");
        assertProblem(api.get(null, "/v1/events"), 401, "missing-token");
        assertThat(api.get(admin, "/v1/stacks/nobody").status()).isEqualTo(404);
    }

    @Test
    void aReaderCannotWrite() {
        assertThat(api.get(reader, "/v1/stacks").status()).isEqualTo(200);
        int stages = count("/v1/stages");
        var a = api.post(reader, "/v1/stacks/shop/stages", "{\"name\":\"qa\"}");
        assertProblem(a, 403, "permission-denied");
        assertThat(a.body().path("detail").asText()).contains("role reader");
        assertProblem(api.post(reader, "/v1/stacks", "{\"name\":\"readerstack\"}"), 403, "permission-denied");
        assertProblem(api.post(reader, "/v1/tokens", "{\"name\":\"x\",\"role\":\"admin\"}"), 403, "permission-denied");
        assertThat(count("/v1/stages")).isEqualTo(stages);
        assertThat(api.get(admin, "/v1/stacks/readerstack").status()).isEqualTo(404);
    }

    @Test
    void anOperatorIsConfinedToItsStacks() {
        // another stack's resources are not found, exactly as if they did not exist: their names do not leak
        var outside = api.post(operator, "/v1/stacks/blog/stages", "{\"name\":\"prod\"}");
        var nowhere = api.post(operator, "/v1/stacks/nosuchstack/stages", "{\"name\":\"prod\"}");
        assertProblem(outside, 404, "not-found");
        assertThat(outside.body().path("detail").asText()).isEqualTo(nowhere.body().path("detail").asText().replace("nosuchstack", "blog"));
        assertThat(api.get(admin, "/v1/stacks/blog/stages/prod").status()).isEqualTo(404);
        var blog = api.get(operator, "/v1/stacks/blog");
        assertProblem(blog, 404, "not-found");
        assertThat(blog.body().path("detail").asText())
                .isEqualTo(api.get(operator, "/v1/stacks/nosuchstack").body().path("detail").asText().replace("nosuchstack", "blog"));
        assertProblem(api.get(operator, "/v1/stacks/blog/stages/prod/env"), 404, "not-found");
        assertProblem(api.get(operator, "/v1/stacks/blog/stages"), 404, "not-found");
        assertProblem(api.post(operator, "/v1/stacks", "{\"name\":\"opstack\"}"), 403, "permission-denied");
        assertThat(api.post(operator, "/v1/stacks/shop/stages", "{\"name\":\"staging\"}").status()).isEqualTo(201);
        JsonNode visible = api.get(operator, "/v1/stacks").body();
        assertThat(visible.findValuesAsText("name")).containsExactly("shop");
        assertThat(api.delete(operator, "/v1/stacks/shop/stages/staging").status()).isEqualTo(204);
    }

    @Test
    void deletingAStackWithStagesRefusesWithAClearMessage() {
        api.post(admin, "/v1/stacks", "{\"name\":\"tmp\"}");
        api.post(admin, "/v1/stacks/tmp/stages", "{\"name\":\"dev\"}");
        var refused = api.delete(admin, "/v1/stacks/tmp");
        assertProblem(refused, 409, "has-stages");
        assertThat(refused.body().path("detail").asText()).contains("dev").contains("stratum stage delete tmp/STAGE");
        assertThat(api.get(admin, "/v1/stacks/tmp").status()).isEqualTo(200);
        assertThat(api.delete(admin, "/v1/stacks/tmp/stages/dev").status()).isEqualTo(204);
        assertThat(api.delete(admin, "/v1/stacks/tmp").status()).isEqualTo(204);
        assertThat(api.get(admin, "/v1/stacks/tmp").status()).isEqualTo(404);
    }

    @Test
    void idempotencyKeyReturnsTheSameAnswerWithoutASecondResource() {
        long before = lastEventId();
        Map<String, String> key = Map.of("Idempotency-Key", "create-idem-1");
        var first = api.post(admin, "/v1/stacks", "{\"name\":\"idem\"}", key);
        var again = api.post(admin, "/v1/stacks", "{\"name\":\"idem\"}", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw()).isEqualTo(first.raw());
        assertThat(again.header("Location")).isEqualTo("/v1/stacks/idem");
        var events = api.get(admin, "/v1/events?after=" + before).body();
        assertThat(events.findValuesAsText("resource").stream().filter("stack/idem"::equals)).hasSize(1);
        assertProblem(api.post(admin, "/v1/stacks", "{\"name\":\"idem2\"}", key), 409, "idempotency-key-reused");
        assertThat(api.get(admin, "/v1/stacks/idem2").status()).isEqualTo(404);
        assertProblem(api.post(admin, "/v1/stacks", "{\"name\":\"idem\"}"), 409, "already-exists");
    }

    @Test
    void deletingAStackRevokesItsTokensAndIsRefusedWhileItHasSecrets() {
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"gone\"}").status()).isEqualTo(201);
        String goneOperator = api.post(admin, "/v1/tokens", "{\"name\":\"gone-ci\",\"role\":\"operator\",\"stacks\":[\"gone\"]}")
                .body().path("token").asText();
        assertThat(api.post(admin, "/v1/secrets", "{\"name\":\"gone/api-key\",\"value\":\"k\",\"tags\":{\"stack\":\"gone\"}}").status())
                .isEqualTo(201);
        var refused = api.delete(admin, "/v1/stacks/gone");
        assertProblem(refused, 409, "has-secrets");
        assertThat(refused.raw()).contains("gone/api-key");
        assertThat(api.delete(admin, "/v1/secrets/gone/api-key?confirm=gone/api-key").status()).isEqualTo(204);
        assertThat(api.delete(admin, "/v1/stacks/gone").status()).isEqualTo(204);
        assertThat(api.get(goneOperator, "/v1/stacks").status()).as("its operator token is revoked").isEqualTo(401);
        // a new stack of the same name inherits nothing of the old one
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"gone\"}").status()).isEqualTo(201);
        assertThat(api.get(goneOperator, "/v1/stacks/gone").status()).isEqualTo(401);
        assertThat(api.get(admin, "/v1/events?limit=1000").raw()).contains("operator tokens revoked: gone-ci");
    }

    @Test
    void anAnswerHoldingASecretIsNeverKeptForIdempotency() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "token-idem-1");
        String body = "{\"name\":\"idem-token\",\"role\":\"reader\"}";
        var first = api.post(admin, "/v1/tokens", body, key);
        assertThat(first.status()).isEqualTo(201);
        String secret = first.body().path("token").asText();
        assertThat(secret).isNotBlank();
        var again = api.post(admin, "/v1/tokens", body, key);
        assertProblem(again, 409, "secret-not-kept");
        assertThat(again.raw()).doesNotContain(secret).contains(first.header("Location"));
        assertThat(api.get(admin, "/v1/tokens").raw().split("idem-token", -1)).as("one token, not two").hasSize(2);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("stratum.db"));
             var rs = c.createStatement().executeQuery("SELECT body FROM idempotency_keys")) {
            while (rs.next()) assertThat(String.valueOf(rs.getString(1))).doesNotContain(secret);
        }
    }

    @Test
    void openApiHealthAndReadinessNeedNoToken() {
        assertThat(api.get(null, "/healthz").status()).isEqualTo(200);
        assertThat(api.get(null, "/readyz").body().path("status").asText()).isEqualTo("ready");
        JsonNode doc = api.get(null, "/v1/openapi.json").body();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.path("paths");
        assertThat(paths.path("/v1/stacks").has("post")).isTrue();
        assertThat(paths.path("/v1/stacks").has("get")).isTrue();
        assertThat(paths.path("/v1/stacks/{stack}/stages/{stage}").has("delete")).isTrue();
        assertThat(paths.has("/v1/events/stream")).isTrue();
        assertThat(paths.has("/v1/tokens")).isTrue();
        assertThat(doc.path("components").path("schemas").path("CreateStackRequest").path("properties").has("name")).isTrue();
        assertProblem(api.get(admin, "/v1/nothing-here"), 404, "no-such-route");
    }

    /** An event stream opened on a raw TLS socket that reads nothing after the headers (a stuck subscriber). */
    static javax.net.ssl.SSLSocket stuckStream(String token) throws Exception {
        javax.net.ssl.SSLSocket s = rawStream(token);
        byte[] head = new byte[12];
        s.getInputStream().readNBytes(head, 0, 12);
        assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        return s;
    }

    /** A stream request on a socket of its own that reads nothing yet. */
    static javax.net.ssl.SSLSocket rawStream(String token) throws Exception {
        return rawStream(token, "", "text/event-stream");
    }

    /** As above, at {@code query} (e.g. {@code ?after=0}) with the client's {@code Accept} header. */
    static javax.net.ssl.SSLSocket rawStream(String token, String query, String accept) throws Exception {
        java.net.URI u = java.net.URI.create(api.url);
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) TestApi.trusting(server.caFile()).getSocketFactory().createSocket();
        s.setReceiveBufferSize(1024);
        s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5000);
        s.getOutputStream().write(("GET /v1/events/stream" + query + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nAuthorization: Bearer "
                + token + "\r\nAccept: " + accept + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads on until the server ends the stream; fails if it is still open after 10 s of silence. */
    static void assertClosedByServer(javax.net.ssl.SSLSocket s, String why) throws Exception {
        s.setSoTimeout(10_000);
        byte[] sink = new byte[65536];
        int n;
        while ((n = s.getInputStream().read(sink)) > 0) {
            // what was sent before
        }
        assertThat(n).as(why).isEqualTo(-1);
    }

    /** {@code curl URL} (Accept: *}{@code /*) gets events; a client gone in the middle of a replay is logged at most once. */
    @Test
    void theStreamAnswersAnyAcceptAndADisconnectIsQuiet() throws Exception {
        for (int i = 0; i < 300; i++) assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"quiet" + i + "\"}").status()).isEqualTo(201);
        try (javax.net.ssl.SSLSocket s = rawStream(admin, "?after=0", "*/*")) {
            String head = new String(s.getInputStream().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(head).startsWith("HTTP/1.1 200").contains("text/event-stream").contains("event: event").contains("\"action\":");
        }
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        root.addAppender(logged);
        try {
            javax.net.ssl.SSLSocket gone = rawStream(admin, "?after=0", "text/event-stream");
            gone.getInputStream().readNBytes(64);
            gone.setSoLinger(true, 0);
            gone.close(); // reset in the middle of a 300-event replay
            Thread.sleep(1500);
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list.stream().filter(e -> e.getFormattedMessage().contains("Cannot send data")).count())
                .as("a disconnect is not logged per event").isLessThanOrEqualTo(1);
    }

    @Test
    void aStuckSubscriberIsDroppedAndNeverHoldsUpTheApi() throws Exception {
        // small socket buffers (for this test only), so that a subscriber reading nothing stalls the server's writes soon
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to bound socket buffers");
        Process read = new ProcessBuilder("sysctl", "-n", "net.ipv4.tcp_wmem").start();
        String saved = new String(read.getInputStream().readAllBytes()).strip().replaceAll("\\s+", " ");
        assertThat(read.waitFor()).isZero();
        assertThat(saved).matches("\\d+ \\d+ \\d+");
        sysctl("net.ipv4.tcp_wmem=4096 16384 65536");
        try (javax.net.ssl.SSLSocket stuck = stuckStream(admin)) {
            assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"flood\"}").status()).isEqualTo(201);
            // 3000 changes while a subscriber reads nothing: each answers (a blocked publish would time these requests out)
            for (int i = 0; i < 3000; i++) {
                var r = api.post(admin, "/v1/stacks/flood/stages", "{\"name\":\"s" + i + "\"}");
                assertThat(r.status()).isEqualTo(201);
            }
            // the server gave up on it: reading on finds the end of the stream (keepalives would otherwise go on for ever)
            stuck.setSoTimeout(20_000);
            byte[] sink = new byte[65536];
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int n = 0;
            while (System.nanoTime() < deadline && (n = stuck.getInputStream().read(sink)) > 0) {
                // what was buffered before it was dropped
            }
            assertThat(n).as("the stuck stream was closed by the server").isEqualTo(-1);
        } finally {
            sysctl("net.ipv4.tcp_wmem=" + saved);
        }
    }

    /** {@code sysctl -w} (Java's Files.readString sees only the first byte of a /proc file; sysctl reads and writes it whole). */
    static void sysctl(String setting) throws Exception {
        Process p = new ProcessBuilder("sysctl", "-q", "-w", setting).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void aTokenHoldsFewStreamsAndARevokedTokensStreamsClose() throws Exception {
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"streams\"}").status()).isEqualTo(201);
        String t = api.post(admin, "/v1/tokens", "{\"name\":\"streamer\",\"role\":\"operator\",\"stacks\":[\"streams\"]}").body()
                .path("token").asText();
        String id = tokenId("streamer");
        List<javax.net.ssl.SSLSocket> open = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            // a stream cannot start before the first event (it would never be served): 400, and no slot taken
            for (int i = 0; i < 6; i++) {
                var negative = api.send(api.builder(t, "/v1/events/stream?after=-5").header("Accept", "text/event-stream").GET().build());
                assertProblem(negative, 400, "validation-failed");
            }
            // eight connects at once: exactly five streams open, the others are refused
            List<java.util.concurrent.Future<javax.net.ssl.SSLSocket>> connects = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) connects.add(pool.submit(() -> rawStream(t)));
            List<javax.net.ssl.SSLSocket> streams = new java.util.ArrayList<>();
            int refused = 0;
            for (var f : connects) {
                javax.net.ssl.SSLSocket s = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                open.add(s);
                String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
                if (status.startsWith("HTTP/1.1 200")) streams.add(s);
                else if (status.startsWith("HTTP/1.1 429")) refused++;
            }
            assertThat(streams).hasSize(5);
            assertThat(refused).isEqualTo(3);
            // an operator's stream: the revocation is outside its stack, and still closes it
            assertThat(api.delete(admin, "/v1/tokens/" + id).status()).isEqualTo(204);
            for (javax.net.ssl.SSLSocket s : streams) assertClosedByServer(s, "the revoked token's stream is closed");
            // deleting a stack revokes its operators' tokens: their streams close too
            String t2 = api.post(admin, "/v1/tokens", "{\"name\":\"streamer2\",\"role\":\"operator\",\"stacks\":[\"streams\"]}").body()
                    .path("token").asText();
            javax.net.ssl.SSLSocket second = stuckStream(t2);
            open.add(second);
            assertThat(api.delete(admin, "/v1/stacks/streams").status()).isEqualTo(204);
            assertClosedByServer(second, "a deleted stack's operator stream is closed");
        } finally {
            pool.shutdownNow();
            for (var s : open) s.close();
        }
    }

    static String tokenId(String name) {
        return api.get(admin, "/v1/tokens").body().findParents("name").stream().filter(n -> n.path("name").asText().equals(name))
                .findFirst().orElseThrow().path("id").asText();
    }

    @Test
    void eventsRecordWhoDidWhatAndStreamLive() throws Exception {
        long before = lastEventId();
        api.post(admin, "/v1/stacks", "{\"name\":\"evt\"}");
        JsonNode events = api.get(admin, "/v1/events?after=" + before).body();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("action").asText()).isEqualTo("stack.create");
            assertThat(e.path("resource").asText()).isEqualTo("stack/evt");
            assertThat(e.path("actor").asText()).startsWith("admin (tok-");
            assertThat(e.path("time").asText()).endsWith("Z");
        });
        long after = lastEventId();
        List<String> received = new CopyOnWriteArrayList<>();
        var req = api.builder(admin, "/v1/events/stream?after=" + before).header("Accept", "text/event-stream").GET().build();
        var future = api.http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAccept(res -> {
            try (Stream<String> lines = res.body()) {
                lines.filter(l -> l.startsWith("data:")).forEach(received::add);
            }
        });
        api.post(admin, "/v1/stacks/evt/stages", "{\"name\":\"live\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(l -> l.contains("stage/evt/live")));
        assertThat(received.get(0)).contains("stack/evt");
        assertThat(received.stream().filter(l -> l.contains("stack/evt\"")).count()).isEqualTo(1);
        future.cancel(true);
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void operationsAreReadableRecords() {
        var ops = server.services().operations();
        var op = ops.start(io.stratum.core.model.OperationInput.Create.empty(), "orders", "shop");
        ops.advance(op.id(), OperationState.RUNNING, "initdb", 0.4, null);
        JsonNode shown = api.get(operator, "/v1/operations/" + op.id()).body();
        assertThat(shown.path("state").asText()).isEqualTo("running");
        assertThat(shown.path("step").asText()).isEqualTo("initdb");
        assertThat(shown.path("progress").asDouble()).isEqualTo(0.4);
        assertThat(shown.path("type").asText()).isEqualTo("create-instance");
        assertProblem(api.get(admin, "/v1/operations/op-missing"), 404, "not-found");
        var blogOp = ops.start(io.stratum.core.model.OperationInput.Create.empty(), "posts", "blog");
        assertProblem(api.get(operator, "/v1/operations/" + blogOp.id()), 404, "not-found");
    }

    @Test
    void tokensCanBeScopedListedAndRevoked() {
        var bad = api.post(admin, "/v1/tokens", "{\"name\":\"noscope\",\"role\":\"operator\",\"stacks\":[]}");
        assertProblem(bad, 400, "validation-failed");
        assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("stacks");
        assertProblem(api.post(admin, "/v1/tokens", "{\"name\":\"x\",\"role\":\"owner\"}"), 400, "validation-failed");
        assertProblem(api.post(admin, "/v1/tokens", "{\"name\":\"x\",\"role\":\"operator\",\"stacks\":[\"ghost\"]}"), 400,
                "validation-failed");
        var created = api.post(admin, "/v1/tokens", "{\"name\":\"temp\",\"role\":\"reader\"}").body();
        String secret = created.path("token").asText();
        assertThat(api.get(secret, "/v1/stacks").status()).isEqualTo(200);
        JsonNode list = api.get(admin, "/v1/tokens").body();
        assertThat(list.toString()).doesNotContain(secret).doesNotContain(admin);
        assertThat(list.findValues("token")).isEmpty();
        assertThat(api.delete(admin, "/v1/tokens/" + created.path("id").asText()).status()).isEqualTo(204);
        assertProblem(api.get(secret, "/v1/stacks"), 401, "invalid-token");
    }

    @Test
    void theLastAdminTokenCannotBeRevoked() {
        String adminId = api.get(admin, "/v1/tokens").body().findParents("role").stream()
                .filter(t -> t.path("role").asText().equals("admin") && t.path("name").asText().equals("admin"))
                .findFirst().orElseThrow().path("id").asText();
        assertProblem(api.delete(admin, "/v1/tokens/" + adminId), 409, "last-admin");
        assertThat(api.get(admin, "/v1/stacks").status()).isEqualTo(200);
    }

    static long lastEventId() {
        JsonNode latest = api.get(admin, "/v1/events?limit=1").body();
        return latest.isEmpty() ? 0 : latest.get(0).path("id").asLong();
    }
}
