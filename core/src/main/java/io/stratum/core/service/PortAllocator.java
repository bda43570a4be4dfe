package io.stratum.core.service;

import io.stratum.core.error.ConflictException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.port.Placement;
import java.util.Set;

/** Chooses instance ports: the requested one if free, else the lowest free one in the configured range. */
final class PortAllocator {
    private final Placement placement;
    private final int first;
    private final int last;

    PortAllocator(Placement placement, int first, int last) {
        this.placement = placement;
        this.first = first;
        this.last = last;
    }

    int choose(int requested, boolean publicAccess, Set<Integer> usedByInstances) {
        if (requested != 0) {
            if (usedByInstances.contains(requested)) {
                throw ValidationException.of("port", "port " + requested + " belongs to another instance: choose another or omit --port");
            }
            if (!placement.portFree(requested, publicAccess)) {
                throw ValidationException.of("port", "port " + requested + " is in use by another process on this host: "
                        + "choose another or omit --port");
            }
            return requested;
        }
        for (int p = first; p <= last; p++) {
            if (!usedByInstances.contains(p) && placement.portFree(p, publicAccess)) return p;
        }
        throw new ConflictException("no-free-port", "no free port left in the instance port range " + first + "-" + last
                + ": delete unused instances or start the server with a wider --port-range");
    }
}
