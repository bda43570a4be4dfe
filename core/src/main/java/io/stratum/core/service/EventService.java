package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ValidationException;
import io.stratum.core.model.Event;
import java.util.List;
import java.util.function.Consumer;

/** Reading the event log, filtered to what the caller may see. */
public final class EventService {
    public static final int MAX_LIMIT = 1000;
    private final Recorder recorder;
    private final EventBus bus;

    public EventService(Recorder recorder, EventBus bus) {
        this.recorder = recorder;
        this.bus = bus;
    }

    /** Events after {@code afterId} (or the latest {@code limit} when afterId is null), oldest first. */
    public List<Event> list(Principal p, Long afterId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ValidationException.of("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (afterId != null && afterId < 0) {
            throw ValidationException.of("after", "must be 0 or a positive event id, was " + afterId);
        }
        List<Event> events = recorder.store().read(tx ->
                afterId == null ? tx.events().listLatest(limit) : tx.events().listAfter(afterId, limit));
        return events.stream().filter(e -> visible(p, e)).toList();
    }

    /** Live events the caller may see; close the handle to stop. */
    public AutoCloseable follow(Principal p, Consumer<Event> listener) {
        return bus.subscribe(e -> {
            if (visible(p, e)) listener.accept(e);
        });
    }

    static boolean visible(Principal p, Event e) {
        return p.readsEverything() || (e.stack() != null && p.canRead(e.stack()));
    }
}
