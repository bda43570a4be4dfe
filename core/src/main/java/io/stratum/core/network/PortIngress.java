package io.stratum.core.network;

import java.util.List;

/** The kernel layer's input for one instance: its port and the networks admitted to it; everything else is dropped. */
public record PortIngress(int port, String instance, List<Cidr> sources) {
    public PortIngress {
        sources = List.copyOf(sources);
    }
}
