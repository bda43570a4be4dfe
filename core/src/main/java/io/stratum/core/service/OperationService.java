package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationInput;
import io.stratum.core.model.OperationState;
import java.util.List;

/** Durable records of long work. Runners start and advance them; users read them. */
public final class OperationService {
    private final Recorder recorder;

    public OperationService(Recorder recorder) {
        this.recorder = recorder;
    }

    /** Records a new pending operation. */
    public Operation start(OperationInput input, String resource, String stack) {
        Operation op = newOperation(input, resource, stack, recorder.clock().instant());
        recorder.store().inTransaction(tx -> {
            tx.operations().insert(op);
            return null;
        });
        return op;
    }

    /** Moves an operation to a new state, refusing transitions its current state does not allow. */
    public Operation advance(String id, OperationState state, String step, double progress, String error) {
        return move(id, state, step, null, progress, error);
    }

    /** As above, at step {@code position} of the operation's plan. */
    public Operation advance(String id, OperationState state, String step, int position, double progress, String error) {
        return move(id, state, step, position, progress, error);
    }

    private Operation move(String id, OperationState state, String step, Integer position, double progress, String error) {
        Operation moved = recorder.store().inTransaction(tx -> {
            Operation current = tx.operations().find(id).orElseThrow(() -> notFound(id));
            Operation next = current.moveTo(state, step, position == null ? current.position() : position,
                    Math.max(0, Math.min(1, progress)), error, recorder.clock().instant());
            tx.operations().update(next);
            return next;
        });
        recorder.operationChanges().changed(id);
        return moved;
    }

    /**
     * The operation {@code id} once {@code changed} says it differs from what the caller has seen, or as it is after
     * {@code max} (a long poll: a client waiting for an operation asks again only when there is something new). A
     * finished operation is answered at once (it will not change); {@code stillAllowed} is asked on every wake-up (a
     * token revoked meanwhile ends the wait with its refusal).
     */
    public Operation awaitChange(Principal p, String id, java.util.function.Predicate<Operation> changed, java.time.Duration max,
                                 Runnable stillAllowed) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        ChangeSignal signal = recorder.operationChanges();
        long seen = signal.watch(id);
        try {
            while (true) {
                stillAllowed.run();
                Operation op = get(p, id);
                long left = deadline - System.nanoTime();
                if (changed.test(op) || op.state().terminal() || left <= 0) return op;
                // re-read at least every second: a change made by another control plane on a shared store wakes nobody here
                signal.awaitAfter(id, seen, java.time.Duration.ofNanos(Math.min(left, 1_000_000_000L)));
                seen = signal.generation(id);
            }
        } finally {
            signal.unwatch(id);
        }
    }

    /** A new pending operation record (not stored): for callers that store it with other changes in one transaction. */
    public static Operation newOperation(OperationInput input, String resource, String stack, java.time.Instant now) {
        return new Operation(TokenSecrets.newId("op-"), input, resource, stack, OperationState.PENDING, null, Operation.NOT_STARTED, 0.0,
                null, now, now, null);
    }

    /** Records what the running step is doing now (e.g. bytes, rate, ETA) and its progress; never changes the state. */
    public void report(String id, String detail, double progress) {
        recorder.store().inTransaction(tx -> {
            tx.operations().find(id).filter(op -> op.state() == OperationState.RUNNING)
                    .ifPresent(op -> tx.operations().update(op.withDetail(detail, Math.max(0, Math.min(1, progress)), recorder.clock().instant())));
            return null;
        });
        recorder.operationChanges().changed(id);
    }

    public Operation get(Principal p, String id) {
        Operation op = recorder.store().read(tx -> tx.operations().find(id)).orElseThrow(() -> notFound(id));
        if (!p.sees(op.stack())) throw notFound(id);
        return op;
    }

    public List<Operation> list(Principal p, int limit) {
        return recorder.store().read(tx -> tx.operations().listRecent(limit)).stream()
                .filter(op -> op.stack() == null ? p.readsEverything() : p.canRead(op.stack())).toList();
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("operation '" + id + "' does not exist");
    }
}
