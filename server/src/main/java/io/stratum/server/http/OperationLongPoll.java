package io.stratum.server.http;

import io.javalin.http.Context;
import io.stratum.core.auth.Principal;
import io.stratum.core.service.OperationService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/operations/{id}} as a conditional, waiting read: the answer carries an {@code ETag}; a request with
 * {@code If-None-Match} set to it and {@code Prefer: wait=N} (RFC 7240) is answered as soon as the operation changes,
 * or with {@code 304 Not Modified} after N seconds (at most {@value #MAX_WAIT_SECONDS}). A CLI waiting for an operation
 * thus asks again only when there is something new, and learns of the end the moment it is recorded.
 */
final class OperationLongPoll {
    static final int MAX_WAIT_SECONDS = 60;
    /** Requests held open at once; beyond this a waiting read answers at once (the client asks again). */
    static final int MAX_WAITERS = 64;
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait=(\\d{1,6})(?:$|[,;\\s])");
    private final OperationService operations;
    private final AtomicInteger waiters = new AtomicInteger();

    OperationLongPoll(OperationService operations) {
        this.operations = operations;
    }

    ApiResponse get(Principal p, String id, Context ctx) {
        String known = ctx.header("If-None-Match");
        int wait = known == null ? 0 : waitSeconds(ctx.header("Prefer"));
        Views.OperationView view;
        if (wait > 0 && waiters.incrementAndGet() <= MAX_WAITERS) {
            try {
                view = Views.OperationView.of(operations.awaitChange(p, id, op -> !etag(Views.OperationView.of(op)).equals(known),
                        Duration.ofSeconds(wait)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                view = Views.OperationView.of(operations.get(p, id));
            } finally {
                waiters.decrementAndGet();
            }
        } else {
            if (wait > 0) waiters.decrementAndGet();
            view = Views.OperationView.of(operations.get(p, id));
        }
        String etag = etag(view);
        ctx.header("ETag", etag);
        if (etag.equals(known)) return ApiResponse.notModified();
        return ApiResponse.ok(view);
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
