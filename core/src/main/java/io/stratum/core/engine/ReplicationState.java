package io.stratum.core.engine;

/**
 * How far a read replica is behind its source, as the engines report it: {@code streaming} when the replica is connected
 * and following; the lag in bytes of the source's log and in seconds; {@code slotLost} when the source no longer keeps
 * what the replica needs (it cannot catch up again); {@code reason} says what is wrong, null when nothing is.
 */
public record ReplicationState(boolean streaming, long lagBytes, double lagSeconds, boolean slotLost, String reason) {
    public static ReplicationState unknown(String reason) {
        return new ReplicationState(false, -1, -1, false, reason);
    }
}
