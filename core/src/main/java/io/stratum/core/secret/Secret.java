package io.stratum.core.secret;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A secret's metadata: name, tags, whether Stratum manages it (instance credentials), and its current version. */
public record Secret(String name, Map<String, String> tags, boolean managed, int currentVersion, Instant createdAt,
                     Instant updatedAt) {
    public Secret {
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    public Secret withVersion(int version, Instant now) {
        return new Secret(name, tags, managed, version, createdAt, now);
    }
}
