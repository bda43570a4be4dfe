package io.stratum.core.model;

import java.time.Instant;
import java.util.Map;

/** A durable record of long work: what, on which resource, how far, and how it ended. */
public record Operation(String id, String type, String resource, String stack, OperationState state,
                        String step, double progress, String error, Map<String, String> input, Instant createdAt,
                        Instant updatedAt, String detail) {

    public Operation {
        input = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(input));
    }

    /** The same operation moved to {@code target}; refuses a transition its state does not allow. */
    public Operation moveTo(OperationState target, String newStep, double newProgress, String newError, Instant now) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("operation " + id + " is " + state.wireName() + " and cannot become " + target.wireName());
        }
        return new Operation(id, type, resource, stack, target, newStep, newProgress, newError, input, createdAt, now, detail);
    }

    /** The same operation with a new description of what it is doing or last did (no state change); it stays until replaced. */
    public Operation withDetail(String newDetail, double newProgress, Instant now) {
        return new Operation(id, type, resource, stack, state, step, newProgress, error, input, createdAt, now, newDetail);
    }
}
