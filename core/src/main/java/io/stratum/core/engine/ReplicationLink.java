package io.stratum.core.engine;

/**
 * How a read replica reaches its source: the source's address and port, and the replication login whose password lives
 * in the secret store (in memory only: never logged, never on argv). {@code replica} names the replica (the provider
 * derives its slot and application name from it).
 */
public record ReplicationLink(String source, String sourceHost, int sourcePort, String user, String password, String replica) {
    /** The login every engine's replicas use on their source (reserved: no tenant's user may be called stratum*). */
    public static final String USER = "stratum_replicator";

    @Override
    public String toString() {
        return "ReplicationLink[" + replica + " <- " + source + " at " + sourceHost + ":" + sourcePort + ", password redacted]";
    }
}
