package io.stratum.cli;

import java.io.Console;

/** Whether standard output is an interactive terminal (for one-time secrets and progress bars). */
public final class Terminal {
    private Terminal() {}

    public static boolean interactive() {
        Console c = System.console();
        if (c == null) return false;
        try {
            // JDK 22+ returns a Console even when redirected; isTerminal() tells the truth there.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
