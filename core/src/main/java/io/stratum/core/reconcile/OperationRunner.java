package io.stratum.core.reconcile;

import io.stratum.core.model.Operation;
import io.stratum.core.service.Recorder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations on a small pool, fairly across stacks ({@link FairDispatcher}: each stack at most its quota of
 * concurrent operations); on start, resumes what a previous control plane left unfinished.
 */
public final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    /** The tenant of operations outside any stack (Stratum's own: restore drills, admins' instances). */
    static final String NO_STACK = "";
    private final InstanceWorkflow workflow;
    private final Recorder recorder;
    private final ExecutorService pool;
    private final FairDispatcher dispatcher;

    public OperationRunner(InstanceWorkflow workflow, Recorder recorder, int threads, ToIntFunction<String> stackLimit) {
        this(workflow, recorder, threads, stackLimit, workers(threads));
    }

    /** On {@code pool} of {@code threads} workers (a fast test's executor runs each operation in the caller's thread). */
    public OperationRunner(InstanceWorkflow workflow, Recorder recorder, int threads, ToIntFunction<String> stackLimit,
                           ExecutorService pool) {
        this.workflow = workflow;
        this.recorder = recorder;
        this.pool = pool;
        this.dispatcher = new FairDispatcher(threads, stack -> stack.isEmpty() ? threads - 1 : stackLimit.applyAsInt(stack), pool);
    }

    private static ExecutorService workers(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "operation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void submit(Operation op) {
        submit(op, () -> workflow.run(op));
    }

    /** Runs {@code work} for {@code op} (an operation not run by the instance workflow, such as an external backup). */
    public void submit(Operation op, Runnable work) {
        dispatcher.submit(op.stack() == null ? NO_STACK : op.stack(), () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("operation {} ({} {}) failed outside its workflow: {}", op.id(), op.type(), op.resource(), e.toString());
            }
        });
    }

    /** Operations of {@code stack} running or waiting for a worker. */
    public int active(String stack) {
        String tenant = stack == null ? NO_STACK : stack;
        return dispatcher.running(tenant) + dispatcher.waiting(tenant);
    }

    /** Resumes every pending or running operation found in the store (they were interrupted). */
    public int resumeUnfinished() {
        List<Operation> unfinished = recorder.store().read(tx -> tx.operations().listUnfinished()).stream()
                .filter(op -> op.type().instanceWorkflow()).map(this::placed).toList();
        for (Operation op : unfinished) {
            LOG.info("resuming interrupted operation {} ({} {}) at step {} ({})", op.id(), op.type().wireName(), op.resource(), op.position(),
                    op.step());
            submit(op, () -> workflow.resume(op));
        }
        return unfinished.size();
    }

    /**
     * An operation stored before steps were recorded by position (only its step's name) gets its position once, in the
     * store, before it resumes ({@link LegacyPositions}).
     */
    private Operation placed(Operation op) {
        if (op.step() == null) return op;
        InstancePlan plan = InstancePlanner.plan(op.input());
        int moved = -1;
        if (op.position() != Operation.NOT_STARTED) {
            if (plan.stepAt(op.position(), op.step())) return op;
            // a position that no longer names the recorded step (a plan changed between versions): placed by the name
            LOG.warn("operation {} is at position {}, which is not step {} in its plan: placing it by the step's name", op.id(),
                    op.position(), op.step());
            moved = LegacyPositions.moved(plan, op.step(), op.position());
        }
        int movedTo = moved;
        return recorder.store().inTransaction(tx -> {
            var status = tx.instances().find(op.resource()).map(i -> i.status()).orElse(null);
            Operation at = op.at(movedTo >= 0 ? movedTo : LegacyPositions.position(plan, op.step(), status));
            tx.operations().update(at);
            LOG.info("operation {} of the old shape (step {}) placed at position {}", op.id(), op.step(), at.position());
            return at;
        });
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
