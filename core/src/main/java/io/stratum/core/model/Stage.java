package io.stratum.core.model;

import java.time.Instant;

/** One environment of a stack, addressed {@code stack/name}. */
public record Stage(String stack, String name, Instant createdAt) {
    public String address() {
        return stack + "/" + name;
    }
}
