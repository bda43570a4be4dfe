package io.stratum.core.engine;

/**
 * How far a read replica is behind its source, as the engines report it: {@code streaming} when the replica is connected
 * and following; the lag in bytes of the source's log and in seconds; {@code replayed}: how far the replica has replayed (an engine's own position, -1 unknown), so
 * that a replay that stands still while the source moves on shows as growing lag; {@code slotLost} when the source no longer keeps
 * what the replica needs (it cannot catch up again); {@code reason} says what is wrong, null when nothing is.
 */
public record ReplicationState(boolean streaming, long lagBytes, double lagSeconds, boolean slotLost, String reason, long replayed) {
    public static ReplicationState unknown(String reason) {
        return new ReplicationState(false, -1, -1, false, reason, -1);
    }

    /** The same, {@code seconds} behind. */
    public ReplicationState withLagSeconds(double seconds) {
        return new ReplicationState(streaming, lagBytes, seconds, slotLost, reason, replayed);
    }
}
