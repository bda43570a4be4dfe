package io.stratum.core.error;

public final class NotFoundException extends StratumException {
    public NotFoundException(String detail) {
        super("not-found", detail);
    }

    public NotFoundException(String code, String detail) {
        super(code, detail);
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }
}
