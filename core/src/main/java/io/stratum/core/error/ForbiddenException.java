package io.stratum.core.error;

public final class ForbiddenException extends StratumException {
    public ForbiddenException(String detail) {
        super("forbidden", detail);
    }

    public ForbiddenException(String code, String detail) {
        super(code, detail);
    }

    @Override
    public Kind kind() {
        return Kind.FORBIDDEN;
    }
}
