package io.stratum.server.http;

import io.javalin.http.sse.SseClient;
import io.stratum.core.auth.Principal;
import io.stratum.core.error.ValidationException;
import io.stratum.core.model.Event;
import io.stratum.core.service.EventService;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events at /v1/events/stream. Resumes after {@code Last-Event-ID} (or {@code ?after=ID}): the backlog is
 * sent first, then live events, each exactly once and in id order.
 */
final class EventStream implements AutoCloseable {
    private final EventService events;
    private final RestApi api;
    private final Queue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-keepalive");
        t.setDaemon(true);
        return t;
    });

    EventStream(EventService events, RestApi api) {
        this.events = events;
        this.api = api;
        pinger.scheduleAtFixedRate(() -> clients.forEach(c -> c.sendComment("keepalive")), 15, 15, TimeUnit.SECONDS);
    }

    void accept(SseClient client) {
        Principal p = api.principal(client.ctx());
        String lastEventId = client.ctx().header("Last-Event-ID");
        Long after = lastEventId != null ? parse(lastEventId) : ApiRoutes.longParam(client.ctx(), "after");
        client.keepAlive();
        Object lock = new Object();
        long[] last = {after == null ? -1 : after};
        AutoCloseable subscription = events.follow(p, e -> {
            synchronized (lock) {
                if (e.id() > last[0]) {
                    send(client, e);
                    last[0] = e.id();
                }
            }
        });
        clients.add(client);
        client.onClose(() -> {
            clients.remove(client);
            try {
                subscription.close();
            } catch (Exception ignored) {
                // listener removal cannot fail
            }
        });
        if (after != null) {
            synchronized (lock) {
                long cursor = after;
                while (true) {
                    var batch = events.list(p, cursor, EventService.MAX_LIMIT);
                    for (Event e : batch) {
                        if (e.id() > last[0]) {
                            send(client, e);
                            last[0] = e.id();
                        }
                    }
                    if (batch.size() < EventService.MAX_LIMIT) break;
                    cursor = batch.get(batch.size() - 1).id();
                }
            }
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
        client.sendEvent("event", Json.write(Views.EventView.of(e)), String.valueOf(e.id()));
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
