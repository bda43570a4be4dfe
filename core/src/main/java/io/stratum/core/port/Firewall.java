package io.stratum.core.port;

import io.stratum.core.network.Enforcement;
import io.stratum.core.network.PortIngress;
import java.util.List;

/** The kernel layer: a packet filter table owned by Stratum, rebuilt as a whole from the desired rules. */
public interface Firewall {
    Enforcement enforcement();

    /** Why the kernel layer is off (null when it is on). */
    String unavailableReason();

    /** Replaces the whole table with {@code rules} in one transaction. */
    void apply(List<PortIngress> rules);

    /** True when the table is exactly what the last {@link #apply} wrote (false after a flush, delete or edit). */
    boolean intact();

    /** The table's rules for {@code port}, as the kernel lists them. */
    List<String> rulesFor(int port);

    /**
     * Removes {@code table} (the single table older Stratum versions shared on a machine) when every rule in it belongs
     * to one of {@code instances} (this home's): its stale drops would otherwise still refuse what the new rules admit.
     * Returns true when it was removed.
     */
    default boolean removeLegacyTable(String table, java.util.Set<String> instances) {
        return false;
    }
}
