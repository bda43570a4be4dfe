package io.stratum.core.network;

import java.util.List;

/**
 * The kernel layer's input for one instance: the address and port it listens on ({@code address} {@code 0.0.0.0} for
 * every address of the host) and the networks admitted to it; everything else to that address and port is dropped, and
 * nothing else (another service on another address of the same port) is touched. {@code trustedUsers}: OS users whose own
 * connections are admitted from any address (the engine users of the instance's read replicas, which replicate over TCP
 * whatever its security groups admit; the engine still asks for the replication login's password).
 */
public record PortIngress(String address, int port, String instance, List<Cidr> sources, List<String> trustedUsers) {
    public PortIngress {
        sources = List.copyOf(sources);
        trustedUsers = List.copyOf(trustedUsers);
    }

    public PortIngress(String address, int port, String instance, List<Cidr> sources) {
        this(address, port, instance, sources, List.of());
    }

    /** True when the instance listens on every address of the host. */
    public boolean everyAddress() {
        return address == null || address.equals("0.0.0.0") || address.equals("::");
    }
}
