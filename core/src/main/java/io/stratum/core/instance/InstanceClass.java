package io.stratum.core.instance;

import io.stratum.core.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Size presets, as RDS instance classes: memory for caches and how many connections. */
public enum InstanceClass {
    MICRO(64, 50), SMALL(256, 100), MEDIUM(512, 200), LARGE(1024, 400);

    /** Memory budget in MiB that the engine's caches are sized from. */
    public final int memoryMib;
    public final int maxConnections;

    InstanceClass(int memoryMib, int maxConnections) {
        this.memoryMib = memoryMib;
        this.maxConnections = maxConnections;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InstanceClass parse(String field, String text) {
        for (InstanceClass c : values()) {
            if (c.wireName().equals(text)) return c;
        }
        throw ValidationException.of(field, "'" + text + "' is not a class: use one of "
                + Arrays.stream(values()).map(InstanceClass::wireName).collect(Collectors.joining(", ")));
    }
}
