package io.stratum.engines.postgres;

import java.util.Map;
import java.util.TreeMap;

/**
 * A libpq connection string built from separate values ({@code host='...' dbname='...'}), each single-quoted with
 * {@code \} and {@code '} escaped (libpq's own rules), so that no value can add a keyword or be read as a URI. Tools get
 * it as their {@code -d} argument, the one place libpq reads a whole connection string.
 */
final class Conninfo {
    private Conninfo() {}

    static String of(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> {
            if (!k.matches("[a-z_]+")) throw new IllegalArgumentException("not a libpq keyword: " + k);
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(k).append("='").append(v.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        });
        return sb.toString();
    }
}
