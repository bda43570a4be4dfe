package io.stratum.core.error;

public final class ConflictException extends StratumException {
    public ConflictException(String detail) {
        super("conflict", detail);
    }

    public ConflictException(String code, String detail) {
        super(code, detail);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
