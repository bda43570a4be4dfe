package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.Instance;
import io.stratum.core.model.StackQuota;
import io.stratum.core.port.StoreTx;
import io.stratum.core.validation.ResourceNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-stack quotas: how many instances, how much allocated storage and how many concurrent operations a stack may have.
 * Checked in the transaction that would exceed them; admins set them ({@code stratum stack quota}).
 */
public final class QuotaService {
    private final Recorder recorder;

    public QuotaService(Recorder recorder) {
        this.recorder = recorder;
    }

    /** A stack's quota and what it uses now. */
    public record Usage(StackQuota quota, int instances, long storageGiB) {}

    public Usage usage(Principal p, String stack) {
        ResourceNames.require("stack", stack);
        if (!p.canRead(stack)) throw StackService.notFound(stack);
        return recorder.store().read(tx -> {
            tx.stacks().find(stack).orElseThrow(() -> StackService.notFound(stack));
            return new Usage(quota(tx, stack), count(tx, stack), storage(tx, stack));
        });
    }

    /** {@code stratum stack quota STACK [--instances N] [--storage GiB] [--operations N]} (admin; null keeps a value). */
    public StackQuota set(Principal p, String stack, Integer instances, Integer storageGiB, Integer operations) {
        p.requireAdmin("setting quotas");
        ResourceNames.require("stack", stack);
        List<FieldError> errors = new ArrayList<>();
        range(errors, "instances", instances, 0, 10_000);
        range(errors, "storage", storageGiB, 0, 10_000_000);
        range(errors, "operations", operations, 1, 64);
        if (instances == null && storageGiB == null && operations == null) {
            errors.add(new FieldError("body", "give instances, storage and/or operations"));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return recorder.record(p, tx -> {
            tx.stacks().find(stack).orElseThrow(() -> new NotFoundException("stack '" + stack + "' does not exist (see 'stratum stack list')"));
            StackQuota cur = quota(tx, stack);
            StackQuota next = new StackQuota(stack, instances == null ? cur.maxInstances() : instances,
                    storageGiB == null ? cur.maxStorageGiB() : storageGiB, operations == null ? cur.maxOperations() : operations);
            tx.quotas().save(next);
            return new Recorder.Change<>(next, "stack/" + stack, stack, "stack.quota", next.maxInstances() + " instances, "
                    + next.maxStorageGiB() + " GiB, " + next.maxOperations() + " concurrent operations");
        });
    }

    /** How many operations of {@code stack} may run at once. */
    public int operationLimit(String stack) {
        return recorder.store().read(tx -> quota(tx, stack)).maxOperations();
    }

    /**
     * Refuses (409) a change that would take {@code stack} past its quota: {@code addInstances} more instances (managed
     * or external) and {@code addStorageGiB} more storage, counted as each instance's ceiling (its maximum storage when
     * autoscaling may grow it, else its allocation), so autoscaling can never take a stack past its quota. Stratum's
     * own scratch instances (outside any stack) have no quota.
     */
    static void requireRoom(StoreTx tx, String stack, int addInstances, long addStorageGiB) {
        if (stack == null) return;
        StackQuota q = quota(tx, stack);
        int count = count(tx, stack);
        long storage = storage(tx, stack);
        if (addInstances > 0 && count + addInstances > q.maxInstances()) {
            throw new ConflictException("quota-exceeded", "stack '" + stack + "' has " + count + " of its " + q.maxInstances()
                    + " instances (managed and external): delete one, or ask an admin to raise it ('stratum stack quota " + stack
                    + " --instances N')");
        }
        if (addStorageGiB > 0 && storage + addStorageGiB > q.maxStorageGiB()) {
            throw new ConflictException("quota-exceeded", "stack '" + stack + "' has " + storage + " of its " + q.maxStorageGiB()
                    + " GiB allocated or reserved for autoscaling (--max-storage); " + addStorageGiB + " more would pass it: ask an "
                    + "admin to raise it ('stratum stack quota " + stack + " --storage GiB')");
        }
    }

    /** What an instance counts against its stack's storage quota: the most it may be allocated. */
    static long ceilingGiB(io.stratum.core.instance.InstanceSpec spec) {
        return Math.max(spec.storageGiB(), spec.maxStorageGiB());
    }

    private static int count(StoreTx tx, String stack) {
        return instances(tx, stack).size() + (int) tx.externals().list().stream().filter(e -> stack.equals(e.stack())).count();
    }

    private static long storage(StoreTx tx, String stack) {
        return instances(tx, stack).stream().mapToLong(i -> ceilingGiB(i.spec())).sum();
    }

    private static StackQuota quota(StoreTx tx, String stack) {
        return tx.quotas().find(stack).orElse(StackQuota.defaults(stack));
    }

    private static List<Instance> instances(StoreTx tx, String stack) {
        return tx.instances().list().stream().filter(i -> stack.equals(i.spec().stack())).toList();
    }

    private static void range(List<FieldError> errors, String field, Integer v, int min, int max) {
        if (v != null && (v < min || v > max)) errors.add(new FieldError(field, v + " is out of range: use " + min + "-" + max));
    }
}
