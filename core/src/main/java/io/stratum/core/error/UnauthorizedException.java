package io.stratum.core.error;

public final class UnauthorizedException extends StratumException {
    public UnauthorizedException(String detail) {
        super("unauthorized", detail);
    }

    public UnauthorizedException(String code, String detail) {
        super(code, detail);
    }

    @Override
    public Kind kind() {
        return Kind.UNAUTHORIZED;
    }
}
