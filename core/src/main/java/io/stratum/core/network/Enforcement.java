package io.stratum.core.network;

/** Which layers enforce ingress rules on this host. */
public enum Enforcement {
    /** nftables table {@code inet stratum} and each engine's own rules. */
    KERNEL_AND_ENGINE("kernel+engine"),
    /** No root or no nft: only the engines' rules (Redis then has no per-address rule at all). */
    ENGINE_ONLY("engine-only");

    private final String wire;

    Enforcement(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }
}
