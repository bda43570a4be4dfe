package io.stratum.core.network;

import java.util.List;

/**
 * The kernel layer's input for one instance: the address and port it listens on ({@code address} {@code 0.0.0.0} for
 * every address of the host) and the networks admitted to it; everything else to that address and port is dropped, and
 * nothing else (another service on another address of the same port) is touched.
 */
public record PortIngress(String address, int port, String instance, List<Cidr> sources) {
    public PortIngress {
        sources = List.copyOf(sources);
    }

    /** True when the instance listens on every address of the host. */
    public boolean everyAddress() {
        return address == null || address.equals("0.0.0.0") || address.equals("::");
    }
}
