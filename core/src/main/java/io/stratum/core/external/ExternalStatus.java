package io.stratum.core.external;

import java.util.Locale;

/** What the last health check through the tunnel (or directly) found. */
public enum ExternalStatus {
    AVAILABLE, UNREACHABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExternalStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
