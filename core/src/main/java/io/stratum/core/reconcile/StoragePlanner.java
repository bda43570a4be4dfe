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
        return plan(allocatedGiB, maxGiB, usedBytes, currentlyFull, Long.MAX_VALUE);
    }

    /** As above, never growing the allocation by more than the disk has free ({@code freeBytes}). */
    public static Plan plan(int allocatedGiB, int maxGiB, long usedBytes, boolean currentlyFull, long freeBytes) {
        long allocated = allocatedGiB * GIB;
        if (currentlyFull && usedBytes < allocated) return new Plan(Action.RECOVER, allocatedGiB);
        int ceiling = (int) Math.min(maxGiB, allocatedGiB + Math.max(0, freeBytes) / GIB);
        if (usedBytes >= GROW_AT * allocated && allocatedGiB < ceiling) {
            int grown = Math.min(ceiling, Math.max(allocatedGiB + 1, (int) Math.ceil(allocatedGiB * 1.1)));
            while (grown < ceiling && usedBytes >= GROW_AT * grown * GIB) grown++;
            return new Plan(Action.GROW, grown);
        }
        if (usedBytes >= allocated && !currentlyFull) return new Plan(Action.MARK_FULL, allocatedGiB);
        return new Plan(Action.NONE, allocatedGiB);
    }
}
