package io.stratum.core.reconcile;

import io.stratum.core.model.Operation;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Told of each step an operation is about to perform, after the step is recorded and before it runs. Listeners are
 * found with {@link ServiceLoader}; the jar ships none (crash tests add one that slows steps down, so that a process can
 * be killed at a chosen step).
 */
public interface StepListener {
    StepListener NONE = (op, step, position) -> { };

    void beforeStep(Operation op, Step step, int position);

    /** Every listener on the class path, called in turn (none: {@link #NONE}). */
    static StepListener discovered() {
        List<StepListener> all = ServiceLoader.load(StepListener.class).stream().map(ServiceLoader.Provider::get).toList();
        if (all.isEmpty()) return NONE;
        return (op, step, position) -> all.forEach(l -> l.beforeStep(op, step, position));
    }
}
