package io.stratum.core.secret;

import io.stratum.core.error.ValidationException;
import java.util.regex.Pattern;

/** Secret names are paths like {@code shop/prod/orders/master}: no empty, dot or dot-dot segments, no leading slash. */
public final class SecretNames {
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$");
    public static final int MAX_LENGTH = 255;

    private SecretNames() {}

    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "is required, e.g. shop/prod/api-key";
        if (name.length() > MAX_LENGTH) return "is longer than " + MAX_LENGTH + " characters";
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                return "'" + name + "' is invalid: segments separated by '/', no empty, '.' or '..' segments";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "'" + name + "' is invalid: each segment is 1-63 letters, digits, '_', '.', '-', starting with a letter, digit or '_'";
            }
        }
        return null;
    }

    public static void require(String field, String name) {
        String p = problem(name);
        if (p != null) throw ValidationException.of(field, p);
    }
}
