package io.stratum.server.http;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.stratum.core.auth.Principal;
import io.stratum.core.error.StratumException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.model.Event;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.service.EventService;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Server-Sent Events at /v1/events/stream. Resumes after {@code Last-Event-ID} (or {@code ?after=ID}): the backlog is
 * sent first, then live events, each exactly once and in id order. Publishing never waits for a client: each stream has
 * a bounded buffer drained by a thread of its own, and a client too slow to keep up is dropped (it reconnects with
 * Last-Event-ID and loses nothing). A token may hold {@link #MAX_STREAMS_PER_TOKEN} streams; a revoked token's streams
 * (and those of a deleted stack's operators) close within a second.
 */
final class EventStream implements AutoCloseable {
    static final int MAX_STREAMS_PER_TOKEN = 5;
    static final int BUFFER = 1000;
    static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final String RESERVED = "sse-slot";
    private final EventService events;
    private final RestApi api;
    private final Predicate<String> tokenActive;
    private final Map<SseClient, Stream> clients = new ConcurrentHashMap<>();
    /** Streams admitted but not open yet, per token (so concurrent connects cannot pass the cap together). */
    private final Map<String, Integer> reserved = new java.util.HashMap<>();
    /** Bumped whenever a token may have stopped being valid; each stream then checks its own. */
    private final java.util.concurrent.atomic.AtomicLong revocations = new java.util.concurrent.atomic.AtomicLong();
    private final AutoCloseable revocationWatch;

    /** One client's stream: its token, its buffer of events not sent yet. */
    private record Stream(String tokenId, BlockingQueue<Event> pending) {}

    EventStream(EventService events, RestApi api, Predicate<String> tokenActive) {
        this.events = events;
        this.api = api;
        this.tokenActive = tokenActive;
        // every event, whoever may see it: an operator's stream never sees 'token.revoke' (it is outside any stack)
        this.revocationWatch = events.follow(SystemActor.PRINCIPAL, e -> {
            if (e.action().equals("token.revoke")) {
                clients.forEach((client, stream) -> {
                    if (e.resource().equals("token/" + stream.tokenId())) closeLater(client);
                });
            }
            if (e.action().equals("token.revoke") || e.action().equals("stack.delete")) revocations.incrementAndGet();
        });
    }

    /**
     * Before the stream opens: where it resumes is checked (400), and a token past its share of streams is refused (429),
     * not queued; its slot is held.
     */
    void admit(Context ctx) {
        Principal p = api.principal(ctx);
        after(ctx);
        synchronized (reserved) {
            long open = clients.values().stream().filter(s -> s.tokenId().equals(p.tokenId())).count() + reserved.getOrDefault(p.tokenId(), 0);
            if (open >= MAX_STREAMS_PER_TOKEN) {
                throw new TooManyStreams("token '" + p.name() + "' already has " + open + " event streams open (at most "
                        + MAX_STREAMS_PER_TOKEN + "): close one first");
            }
            reserved.merge(p.tokenId(), 1, Integer::sum);
            ctx.attribute(RESERVED, p.tokenId());
        }
    }

    /** After the request: a slot admitted but never taken by a stream (the handler failed) is given back. */
    void release(Context ctx) {
        String token = ctx.attribute(RESERVED);
        if (token == null) return;
        ctx.attribute(RESERVED, null);
        synchronized (reserved) {
            reserved.computeIfPresent(token, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    void accept(SseClient client) {
        Principal p = api.principal(client.ctx());
        Long after = after(client.ctx());
        client.keepAlive();
        Stream stream = new Stream(p.tokenId(), new ArrayBlockingQueue<>(BUFFER));
        synchronized (reserved) {
            clients.put(client, stream);
            release(client.ctx());
        }
        AutoCloseable subscription = events.follow(p, e -> {
            if (!stream.pending().offer(e)) closeLater(client); // too slow: dropped, never waited for
        });
        Runnable forget = () -> {
            clients.remove(client);
            try {
                subscription.close();
            } catch (Exception ignored) {
                // listener removal cannot fail
            }
        };
        client.onClose(forget);
        Thread.ofVirtual().name("sse-" + p.tokenId()).start(() -> {
            try {
                long seen = revocations.get(); // read before the check: a revocation after it is seen by drain
                if (tokenActive.test(stream.tokenId())) replayThenDrain(client, stream, p, after, seen); // revoked since admission: done
            } finally {
                client.close();
                forget.run(); // also when the client had gone before onClose was registered
            }
        });
    }

    /** The backlog after {@code after} first (when given), then live events. */
    private void replayThenDrain(SseClient client, Stream stream, Principal p, Long after, long seenRevocations) {
        long last = after == null ? -1 : after;
        if (after != null) {
            long cursor = after;
            while (!client.terminated()) {
                var batch = events.list(p, cursor, EventService.MAX_LIMIT);
                for (Event e : batch) {
                    if (client.terminated()) return; // gone during the replay: no more writes (each would log a warning)
                    if (e.id() > last) {
                        send(client, e);
                        last = e.id();
                    }
                }
                if (batch.size() < EventService.MAX_LIMIT) break;
                cursor = batch.get(batch.size() - 1).id();
            }
        }
        drain(client, stream, last, seenRevocations);
    }

    /** Closes a client off the caller's thread: the publisher (a request's transaction) never waits on a wedged client. */
    private static void closeLater(SseClient client) {
        Thread.ofVirtual().name("sse-close").start(client::close);
    }

    /** Where a stream resumes: {@code Last-Event-ID}, else {@code ?after=}; an event id (0 or more) when given. */
    private static Long after(Context ctx) {
        String lastEventId = ctx.header("Last-Event-ID");
        Long after = lastEventId != null ? parse(lastEventId) : ApiRoutes.longParam(ctx, "after");
        if (after != null && after < 0) {
            throw ValidationException.of(lastEventId != null ? "Last-Event-ID" : "after", "must be 0 or a positive event id, was " + after);
        }
        return after;
    }

    /**
     * Sends the buffered events in id order on this client's own thread until it goes away, with a keepalive every 15 s;
     * its token is checked again after every revocation or stack deletion and with every keepalive. A client stuck in a
     * write holds up only this thread.
     */
    private void drain(SseClient client, Stream stream, long sent, long seenRevocations) {
        long lastWrite = System.nanoTime();
        try {
            while (!client.terminated()) {
                Event e = stream.pending().poll(1, TimeUnit.SECONDS);
                long now = System.nanoTime();
                long revoked = revocations.get();
                boolean ping = now - lastWrite >= KEEPALIVE_NANOS;
                if (revoked != seenRevocations || ping) {
                    seenRevocations = revoked;
                    if (!tokenActive.test(stream.tokenId())) break;
                }
                if (e != null && e.id() > sent) {
                    send(client, e);
                    sent = e.id();
                    lastWrite = now;
                } else if (ping) {
                    client.sendComment("keepalive");
                    lastWrite = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    private static Long parse(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ValidationException.of("Last-Event-ID", "must be an event id, was '" + v + "'");
        }
    }

    private static void send(SseClient client, Event e) {
        if (client.terminated()) return;
        client.sendEvent("event", Json.write(Views.EventView.of(e)), String.valueOf(e.id()));
    }

    @Override
    public void close() {
        try {
            revocationWatch.close();
        } catch (Exception ignored) {
            // listener removal cannot fail
        }
        clients.keySet().forEach(SseClient::close);
    }

    /** 429: a token's share of event streams is taken. */
    static final class TooManyStreams extends StratumException {
        TooManyStreams(String detail) {
            super("too-many-streams", detail);
        }

        @Override
        public Kind kind() {
            return Kind.TOO_MANY;
        }
    }
}
