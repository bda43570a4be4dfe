package io.stratum.core.reconcile;

import java.util.Locale;
import java.util.Map;

/** Compares a rendered setting with what the engine reports (case, spacing and boolean spellings aside). */
public final class SettingValues {
    private static final Map<String, String> BOOLS = Map.of("true", "on", "yes", "on", "1", "on", "false", "off", "no", "off", "0", "off");

    private SettingValues() {}

    public static boolean same(String expected, String actual) {
        if (expected == null || actual == null) return expected == actual;
        return normal(expected).equals(normal(actual));
    }

    private static String normal(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        return BOOLS.getOrDefault(s, s);
    }
}
