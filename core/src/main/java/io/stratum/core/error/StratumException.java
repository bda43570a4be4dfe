package io.stratum.core.error;

/** Base of the domain errors; each kind maps to one HTTP status and one CLI exit code. */
public abstract class StratumException extends RuntimeException {
    private final String code;

    protected StratumException(String code, String detail) {
        super(detail);
        this.code = code;
    }

    /** Stable machine-readable code, e.g. {@code validation-failed}. */
    public String code() {
        return code;
    }

    public abstract Kind kind();

    public enum Kind { VALIDATION, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, INTEGRITY, TOO_MANY }
}
