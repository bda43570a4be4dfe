package io.stratum.core.model;

import java.time.Instant;

/**
 * A durable record of long work: what (a typed input), on which resource, how far, and how it ended. {@code position}
 * is the index in the operation's plan of the step it is in ({@code step} names it for people; the same kind of step
 * may appear twice in a plan, so resuming goes by position); {@link #NOT_STARTED} before the first.
 */
public record Operation(String id, OperationInput input, String resource, String stack, OperationState state,
                        String step, int position, double progress, String error, Instant createdAt,
                        Instant updatedAt, String detail) {
    public static final int NOT_STARTED = -1;

    public Operation {
        if (input == null) throw new IllegalArgumentException("an operation needs its input");
        if (position < NOT_STARTED) throw new IllegalArgumentException("position " + position);
    }

    public OperationType type() {
        return input.type();
    }

    /** The same operation moved to {@code target} at step {@code newPosition}; refuses a transition its state does not allow. */
    public Operation moveTo(OperationState target, String newStep, int newPosition, double newProgress, String newError, Instant now) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("operation " + id + " is " + state.wireName() + " and cannot become " + target.wireName());
        }
        return new Operation(id, input, resource, stack, target, newStep, newPosition, newProgress, newError, createdAt, now, detail);
    }

    /** As above, staying at its position (operations without planned steps, and endings). */
    public Operation moveTo(OperationState target, String newStep, double newProgress, String newError, Instant now) {
        return moveTo(target, newStep, position, newProgress, newError, now);
    }

    /** The same operation with a new description of what it is doing or last did (no state change); it stays until replaced. */
    public Operation withDetail(String newDetail, double newProgress, Instant now) {
        return new Operation(id, input, resource, stack, state, step, position, newProgress, error, createdAt, now, newDetail);
    }

    /** The same operation at {@code newPosition} (a stored operation of the old shape, placed once at start). */
    public Operation at(int newPosition) {
        return new Operation(id, input, resource, stack, state, step, newPosition, progress, error, createdAt, updatedAt, detail);
    }
}
