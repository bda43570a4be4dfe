package io.stratum.testkit.fakes;

import io.stratum.core.network.Enforcement;
import io.stratum.core.network.PortIngress;
import io.stratum.core.port.Firewall;
import java.util.List;

/** A kernel table in memory: the last rules applied. Each apply is recorded (and can fail) in {@link #faults()}. */
public final class FakeFirewall implements Firewall {
    private final Faults faults = new Faults();
    private volatile List<PortIngress> rules = List.of();

    public Faults faults() {
        return faults;
    }

    public List<PortIngress> rules() {
        return rules;
    }

    @Override
    public Enforcement enforcement() {
        return Enforcement.KERNEL_AND_ENGINE;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public void apply(List<PortIngress> newRules) {
        faults.call("apply", "firewall");
        rules = List.copyOf(newRules);
    }

    @Override
    public boolean intact() {
        return true;
    }

    @Override
    public List<String> rulesFor(int port) {
        return rules.stream().filter(r -> r.port() == port).map(Object::toString).toList();
    }
}
