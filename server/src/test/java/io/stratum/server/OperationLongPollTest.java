package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.home.StratumHome;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.model.OperationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for an operation without polling: a conditional GET that the server holds until the operation changes. */
class OperationLongPollTest {
    @TempDir
    static Path home;
    static StratumServer server;
    static TestApi api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        server = StratumServer.start(ServerOptions.of(new StratumHome(home), "127.0.0.1:0", null, null, null), Clock.systemUTC());
        api = new TestApi(server.url(), server.caFile());
        admin = Files.readString(server.adminTokenFile()).trim();
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        assertThat(api.post(admin, "/v1/stacks", "{\"name\":\"blog\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestApi.Answer waitFor(String token, String id, String etag, String prefer) {
        return api.send(api.builder(token, "/v1/operations/" + id).timeout(java.time.Duration.ofSeconds(90))
                .header("If-None-Match", etag).header("Prefer", prefer).GET().build());
    }

    @Test
    void anUnchangedOperationAnswers304AfterTheWaitAndAChangeIsAnsweredWhenItHappens() throws Exception {
        Operation op = server.services().operations().start(new OperationInput.Start(), "orders", "shop");
        TestApi.Answer first = api.get(admin, "/v1/operations/" + op.id());
        String etag = first.response().headers().firstValue("ETag").orElseThrow();
        assertThat(first.body().path("state").asText()).isEqualTo("pending");

        TestApi.Answer unchanged = waitFor(admin, op.id(), etag, "wait=1");
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.response().headers().firstValue("ETag")).contains(etag);

        // the change lands while the request is held: it is the answer, long before the 60 s asked for
        CompletableFuture<TestApi.Answer> held = CompletableFuture.supplyAsync(() -> waitFor(admin, op.id(), etag, "wait=25"));
        Thread.sleep(300);
        assertThat(held).isNotDone();
        server.services().operations().advance(op.id(), OperationState.RUNNING, "start", 0.5, null);
        TestApi.Answer changed = held.get(20, TimeUnit.SECONDS);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("state").asText()).isEqualTo("running");
        assertThat(changed.response().headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    }

    @Test
    void anotherStacksOperationIsNotFoundAtOnceInsteadOfWaitedFor() throws Exception {
        Operation op = server.services().operations().start(new OperationInput.Start(), "posts", "blog");
        String etag = api.get(admin, "/v1/operations/" + op.id()).response().headers().firstValue("ETag").orElseThrow();
        String shopOnly = api.post(admin, "/v1/tokens", "{\"name\":\"shop-only\",\"role\":\"operator\",\"stacks\":[\"shop\"]}")
                .body().path("token").asText();
        // no waiting on what the token cannot see: the same 404 as an unknown id, answered at once
        CompletableFuture<TestApi.Answer> hidden = CompletableFuture.supplyAsync(() -> waitFor(shopOnly, op.id(), etag, "wait=25"));
        assertThat(hidden.get(10, TimeUnit.SECONDS).status()).isEqualTo(404);
    }

    @Test
    void aFinishedOperationIsNotHeldAndARevokedTokensWaitEndsWithItsRefusal() throws Exception {
        var ops = server.services().operations();
        Operation done = ops.start(new OperationInput.Start(), "orders", "shop");
        ops.advance(done.id(), OperationState.RUNNING, "start", 0.5, null);
        ops.advance(done.id(), OperationState.SUCCEEDED, "start", 1, null);
        String doneTag = api.get(admin, "/v1/operations/" + done.id()).response().headers().firstValue("ETag").orElseThrow();
        // it will never change: 304 at once, not after the 25 s asked for
        assertThat(CompletableFuture.supplyAsync(() -> waitFor(admin, done.id(), doneTag, "wait=25")).get(10, TimeUnit.SECONDS)
                .status()).isEqualTo(304);

        Operation op = ops.start(new OperationInput.Start(), "orders", "shop");
        var created = api.post(admin, "/v1/tokens", "{\"name\":\"soon-revoked\",\"role\":\"operator\",\"stacks\":[\"shop\"]}").body();
        String token = created.path("token").asText();
        String etag = api.get(token, "/v1/operations/" + op.id()).response().headers().firstValue("ETag").orElseThrow();
        CompletableFuture<TestApi.Answer> held = CompletableFuture.supplyAsync(() -> waitFor(token, op.id(), etag, "wait=25"));
        Thread.sleep(300);
        assertThat(api.delete(admin, "/v1/tokens/" + created.path("id").asText()).status()).isEqualTo(204);
        ops.advance(op.id(), OperationState.RUNNING, "start", 0.5, null);
        assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(401);
    }

    @Test
    void aTokenHoldsAtMostEightRequestsTheNinthIsAnsweredAtOnce() throws Exception {
        Operation op = server.services().operations().start(new OperationInput.Start(), "orders", "shop");
        String etag = api.get(admin, "/v1/operations/" + op.id()).response().headers().firstValue("ETag").orElseThrow();
        java.util.List<CompletableFuture<TestApi.Answer>> held = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) held.add(CompletableFuture.supplyAsync(() -> waitFor(admin, op.id(), etag, "wait=25"),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        Thread.sleep(500);
        assertThat(held).noneMatch(CompletableFuture::isDone);
        TestApi.Answer ninth = CompletableFuture.supplyAsync(() -> waitFor(admin, op.id(), etag, "wait=25")).get(10, TimeUnit.SECONDS);
        assertThat(ninth.status()).isEqualTo(304);
        server.services().operations().advance(op.id(), OperationState.RUNNING, "start", 0.5, null);
        for (var h : held) assertThat(h.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
}
