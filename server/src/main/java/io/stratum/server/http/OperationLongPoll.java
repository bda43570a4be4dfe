package io.stratum.server.http;

import io.javalin.http.Context;
import io.stratum.core.auth.Principal;
import io.stratum.core.error.UnauthorizedException;
import io.stratum.core.service.OperationService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/operations/{id}} as a conditional, waiting read: the answer carries an {@code ETag}; a request with
 * {@code If-None-Match} set to it and {@code Prefer: wait=N} (RFC 7240) is answered as soon as the operation changes,
 * or with {@code 304 Not Modified} after N seconds (at most {@value #MAX_WAIT_SECONDS}). A CLI waiting for an operation
 * thus asks again only when there is something new, and learns of the end the moment it is recorded. A finished
 * operation, a token holding {@value #MAX_WAITERS_PER_TOKEN} requests already, or a server holding
 * {@value #MAX_WAITERS} is answered at once: clients back off on an early 304.
 */
final class OperationLongPoll {
    /** Below Jetty's 30 s idle timeout for a connection that sends nothing. */
    static final int MAX_WAIT_SECONDS = 25;
    static final int MAX_WAITERS = 64;
    static final int MAX_WAITERS_PER_TOKEN = 8;
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,6})\"?(?=$|[,;\\s])");
    private final OperationService operations;
    private final Predicate<String> tokenActive;
    private final AtomicInteger waiters = new AtomicInteger();
    private final Map<String, AtomicInteger> perToken = new ConcurrentHashMap<>();

    OperationLongPoll(OperationService operations, Predicate<String> tokenActive) {
        this.operations = operations;
        this.tokenActive = tokenActive;
    }

    ApiResponse get(Principal p, String id, Context ctx) {
        String known = ctx.header("If-None-Match");
        int wait = known == null ? 0 : waitSeconds(ctx.header("Prefer"));
        Views.OperationView view = wait > 0 ? held(p, id, known, wait) : Views.OperationView.of(operations.get(p, id));
        if (view == null) return ApiResponse.notModified();   // interrupted (the server stops): as if unchanged
        String etag = etag(view);
        ctx.header("ETag", etag);
        if (etag.equals(known)) return ApiResponse.notModified();
        return ApiResponse.ok(view);
    }

    private Views.OperationView held(Principal p, String id, String known, int wait) {
        AtomicInteger mine = perToken.computeIfAbsent(p.tokenId(), k -> new AtomicInteger());
        boolean admitted = waiters.incrementAndGet() <= MAX_WAITERS & mine.incrementAndGet() <= MAX_WAITERS_PER_TOKEN;
        try {
            if (!admitted) return Views.OperationView.of(operations.get(p, id));
            return Views.OperationView.of(operations.awaitChange(p, id, op -> !etag(Views.OperationView.of(op)).equals(known),
                    Duration.ofSeconds(wait), () -> {
                        if (!tokenActive.test(p.tokenId())) throw new UnauthorizedException("the token was revoked");
                    }));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            waiters.decrementAndGet();
            if (mine.decrementAndGet() == 0) perToken.remove(p.tokenId(), mine);
        }
    }

    /** The seconds asked for with {@code Prefer: wait=N}, capped; 0 without it. */
    static int waitSeconds(String prefer) {
        if (prefer == null) return 0;
        Matcher m = WAIT.matcher(prefer.toLowerCase(java.util.Locale.ROOT));
        return m.find() ? Math.min(MAX_WAIT_SECONDS, Integer.parseInt(m.group(1))) : 0;
    }

    /** A strong validator of what the client is shown: any change of state, step, progress, detail or error changes it. */
    static String etag(Views.OperationView view) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Json.write(view).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(h, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
