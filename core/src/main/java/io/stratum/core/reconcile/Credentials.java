package io.stratum.core.reconcile;

import java.security.SecureRandom;

/** Generated passwords and the contexts their sealed copies are bound to. */
public final class Credentials {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {}

    /** A random password of {@code length} letters and digits (about 5.8 bits each). */
    public static String password(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    public static String masterContext(String instance) {
        return "instance/" + instance + "/master";
    }

    public static String adminContext(String instance) {
        return "instance/" + instance + "/admin";
    }
}
