package io.stratum.core.validation;

import io.stratum.core.error.ValidationException;
import java.util.regex.Pattern;

/** The naming rule shared by stacks, stages and (later) instances and groups. */
public final class ResourceNames {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

    private ResourceNames() {}

    /** Returns the reason a name is invalid, or null when it is valid. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is required: use 1-63 lowercase letters, digits and hyphens, starting with a letter (e.g. 'shop')";
        }
        if (!NAME.matcher(name).matches()) {
            return "'" + abbreviate(name) + "' is invalid: use 1-63 lowercase letters, digits and hyphens, starting with a letter (e.g. 'shop')";
        }
        if (name.contains("--")) {
            return "'" + name + "' is invalid: no double hyphen ('--')";
        }
        if (name.endsWith("-")) {
            return "'" + name + "' is invalid: it must not end with a hyphen";
        }
        return null;
    }

    public static void require(String field, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw ValidationException.of(field, problem);
        }
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 70 ? printable.substring(0, 67) + "..." : printable;
    }
}
