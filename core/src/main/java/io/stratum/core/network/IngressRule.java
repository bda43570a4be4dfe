package io.stratum.core.network;

/** One source network admitted to an instance's port, with why it is admitted (a group, the default, health checks). */
public record IngressRule(Cidr cidr, String reason) {
    @Override
    public String toString() {
        return cidr + " (" + reason + ")";
    }
}
