package io.stratum.core.reconcile;

/** What to do about an instance's storage, from allocation, maximum and usage (pure). */
public final class StoragePlanner {
    /** Grow when at least this share of the allocation is used. */
    public static final double GROW_AT = 0.9;
    private static final long GIB = 1L << 30;

    public enum Action { NONE, GROW, MARK_FULL, RECOVER }

    public record Plan(Action action, int newAllocatedGiB) {}

    private StoragePlanner() {}

    public static Plan plan(int allocatedGiB, int maxGiB, long usedBytes, boolean currentlyFull) {
        long allocated = allocatedGiB * GIB;
        if (currentlyFull && usedBytes < allocated) return new Plan(Action.RECOVER, allocatedGiB);
        if (usedBytes >= GROW_AT * allocated && allocatedGiB < maxGiB) {
            int grown = Math.min(maxGiB, Math.max(allocatedGiB + 1, (int) Math.ceil(allocatedGiB * 1.1)));
            while (grown < maxGiB && usedBytes >= GROW_AT * grown * GIB) grown++;
            return new Plan(Action.GROW, grown);
        }
        if (usedBytes >= allocated && !currentlyFull) return new Plan(Action.MARK_FULL, allocatedGiB);
        return new Plan(Action.NONE, allocatedGiB);
    }
}
