package io.stratum.core.instance;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tunable engine parameter: its type, range, and whether a change applies live (dynamic) or at the next
 * reboot (static). Values are normalised to the engine's own notation.
 */
public record ParamSpec(String name, Type type, long min, long max, List<String> choices, boolean dynamic, String help) {
    public enum Type { INT, MEMORY_MB, BOOL, ENUM, REAL, STRING }

    /** Plain ASCII digits, at most 12 of them (no exponent, sign, hex, or other scripts' digits, nothing that overflows). */
    private static final Pattern MEMORY = Pattern.compile("^([0-9]{1,12})\\s*(kb|k|mb|m|gb|g)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile("^-?[0-9]{1,18}$");
    private static final Pattern DECIMAL = Pattern.compile("^-?[0-9]{1,15}(\\.[0-9]{1,15})?$");

    public static ParamSpec integer(String name, long min, long max, boolean dynamic, String help) {
        return new ParamSpec(name, Type.INT, min, max, List.of(), dynamic, help);
    }

    public static ParamSpec memoryMb(String name, long minMb, long maxMb, boolean dynamic, String help) {
        return new ParamSpec(name, Type.MEMORY_MB, minMb, maxMb, List.of(), dynamic, help);
    }

    public static ParamSpec bool(String name, boolean dynamic, String help) {
        return new ParamSpec(name, Type.BOOL, 0, 1, List.of(), dynamic, help);
    }

    public static ParamSpec choice(String name, List<String> choices, boolean dynamic, String help) {
        return new ParamSpec(name, Type.ENUM, 0, 0, List.copyOf(choices), dynamic, help);
    }

    public static ParamSpec real(String name, long min, long max, boolean dynamic, String help) {
        return new ParamSpec(name, Type.REAL, min, max, List.of(), dynamic, help);
    }

    /** Returns the reason {@code value} is not acceptable, or null. */
    public String problem(String value) {
        if (value == null || value.isBlank()) return "needs a value (" + describe() + ")";
        String v = value.trim();
        switch (type) {
            case INT -> {
                if (!INTEGER.matcher(v).matches()) return "'" + v + "' is not a whole number (digits only): " + describe();
                long n = Long.parseLong(v);
                if (n < min || n > max) return "'" + v + "' is out of range: " + describe();
            }
            case MEMORY_MB -> {
                Long mb = megabytes(v);
                if (mb == null) return "'" + v + "' is not a size: use e.g. 128MB or 1GB (" + describe() + ")";
                if (mb < min || mb > max) return "'" + v + "' is out of range: " + describe();
            }
            case REAL -> {
                if (!DECIMAL.matcher(v).matches()) return "'" + v + "' is not a decimal number (e.g. 0.5): " + describe();
                double d = Double.parseDouble(v);
                if (d < min || d > max) return "'" + v + "' is out of range: " + describe();
            }
            case BOOL -> {
                if (!List.of("on", "off", "true", "false", "1", "0", "yes", "no").contains(v.toLowerCase(Locale.ROOT))) {
                    return "'" + v + "' is not a boolean: use on or off";
                }
            }
            case ENUM -> {
                if (!choices.contains(v)) return "'" + v + "' is not allowed: use one of " + String.join(", ", choices);
            }
            case STRING -> {
                if (v.length() > 200 || v.contains("'") || v.contains("\n")) return "must be at most 200 characters, without quotes or newlines";
            }
        }
        return null;
    }

    public String describe() {
        return switch (type) {
            case INT -> "a whole number from " + min + " to " + max;
            case MEMORY_MB -> "a size from " + min + "MB to " + max + "MB";
            case REAL -> "a number from " + min + " to " + max;
            case BOOL -> "on or off";
            case ENUM -> "one of " + String.join(", ", choices);
            case STRING -> "text";
        };
    }

    /** Megabytes in a size such as {@code 128MB}, {@code 1GB}, {@code 512} (MB); null when not a size. */
    public static Long megabytes(String v) {
        Matcher m = MEMORY.matcher(v.trim());
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "mb" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "kb", "k" -> n / 1024;
            case "gb", "g" -> n * 1024;
            default -> n;
        };
    }

    /** Normalised boolean: true for on/true/1/yes. */
    public static boolean truthy(String v) {
        return List.of("on", "true", "1", "yes").contains(v.trim().toLowerCase(Locale.ROOT));
    }
}
