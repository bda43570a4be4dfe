package io.stratum.app;

import io.stratum.core.model.Operation;
import io.stratum.core.reconcile.Step;
import io.stratum.core.reconcile.StepListener;

/**
 * Crash tests' step listener: with {@code -Dstratum.test.step-delay-ms=N} (see {@link ServerProcess#startSlow}) every
 * operation step waits N ms before it runs, so a test can SIGKILL the server at the step it chose. Without the
 * property it does nothing (in-process servers of other tests find it on the class path too).
 */
public final class SlowSteps implements StepListener {
    static final String PROPERTY = "stratum.test.step-delay-ms";
    private final long millis = Long.getLong(PROPERTY, 0L);

    @Override
    public void beforeStep(Operation op, Step step, int position) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
