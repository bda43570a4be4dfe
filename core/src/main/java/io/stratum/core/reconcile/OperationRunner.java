package io.stratum.core.reconcile;

import io.stratum.core.model.Operation;
import io.stratum.core.service.Recorder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs instance operations on a small pool; on start, resumes what a previous control plane left unfinished. */
public final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    private final InstanceWorkflow workflow;
    private final Recorder recorder;
    private final ExecutorService pool;

    public OperationRunner(InstanceWorkflow workflow, Recorder recorder, int threads) {
        this.workflow = workflow;
        this.recorder = recorder;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "operation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void submit(Operation op) {
        pool.submit(() -> workflow.run(op));
    }

    /** Resumes every pending or running operation found in the store (they were interrupted). */
    public int resumeUnfinished() {
        List<Operation> unfinished = recorder.store().read(tx -> tx.operations().listUnfinished()).stream()
                .filter(op -> OperationType.isInstanceOperation(op.type())).toList();
        for (Operation op : unfinished) {
            LOG.info("resuming interrupted operation {} ({} {}) at step {}", op.id(), op.type(), op.resource(), op.step());
            pool.submit(() -> workflow.resume(op));
        }
        return unfinished.size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
