package io.stratum.engines.firewall;

import io.stratum.core.network.Enforcement;
import io.stratum.core.network.PortIngress;
import io.stratum.core.port.Firewall;
import java.util.List;

/** No kernel layer on this host (no root or no nft): rules are enforced by the engines only. */
final class EngineOnlyFirewall implements Firewall {
    private final String reason;

    EngineOnlyFirewall(String reason) {
        this.reason = reason;
    }

    @Override
    public Enforcement enforcement() {
        return Enforcement.ENGINE_ONLY;
    }

    @Override
    public String unavailableReason() {
        return reason;
    }

    @Override
    public void apply(List<PortIngress> rules) {
        // nothing to enforce in the kernel
    }

    @Override
    public boolean intact() {
        return true;
    }

    @Override
    public List<String> rulesFor(int port) {
        return List.of();
    }
}
