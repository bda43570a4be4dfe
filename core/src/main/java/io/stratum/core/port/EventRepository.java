package io.stratum.core.port;

import io.stratum.core.model.Event;
import java.time.Instant;
import java.util.List;

public interface EventRepository {
    /** Appends and returns the event with its assigned sequence id. */
    Event append(Instant time, String actor, String resource, String stack, String action, String detail);

    /** Events with id greater than {@code afterId}, oldest first. */
    List<Event> listAfter(long afterId, int limit);

    /** The newest {@code limit} events, oldest first. */
    List<Event> listLatest(int limit);
}
