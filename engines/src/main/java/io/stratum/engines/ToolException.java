package io.stratum.engines;

/** An external tool failed: which one, its exit code and its stderr (tools never get secrets on argv). */
public final class ToolException extends RuntimeException {
    public ToolException(String message) {
        super(message);
    }
}
