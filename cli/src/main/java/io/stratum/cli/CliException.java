package io.stratum.cli;

/** A failure the CLI reports in one clear message with its exit code (DESIGN.md §3). */
public final class CliException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int CONFLICT = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Exit code for an HTTP error status: 400/401/403 → 2, 404 → 3, 409/412/428 → 4, else 1. */
    public static int forStatus(int status) {
        return switch (status) {
            case 400, 401, 403, 405, 413, 415, 422 -> USAGE;
            case 404 -> NOT_FOUND;
            case 409, 412, 428, 429 -> CONFLICT;
            default -> FAILED;
        };
    }
}
