package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.model.Event;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.port.StoreTx;
import java.time.Clock;
import java.util.function.Function;

/**
 * Runs a change and appends its event in the same transaction, then publishes the event.
 * Every service mutation goes through here so that no change is ever unrecorded.
 */
public final class Recorder {
    private final MetadataStore store;
    private final EventBus bus;
    private final Clock clock;
    private final ChangeSignal operationChanges = new ChangeSignal();

    public Recorder(MetadataStore store, EventBus bus, Clock clock) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
    }

    /** What a change returns: its result and the event describing it. */
    public record Change<T>(T result, String resource, String stack, String action, String detail) {}

    public <T> T record(Principal actor, Function<StoreTx, Change<T>> change) {
        Event[] event = new Event[1];
        T result = store.inTransaction(tx -> {
            Change<T> c = change.apply(tx);
            event[0] = tx.events().append(clock.instant(), actor.actor(), c.resource(), c.stack(), c.action(), c.detail());
            return c.result();
        });
        bus.publish(event[0]);
        return result;
    }

    public MetadataStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** Moves whenever an operation's state, step, progress or detail changes (see {@link OperationService#awaitChange}). */
    public ChangeSignal operationChanges() {
        return operationChanges;
    }
}
