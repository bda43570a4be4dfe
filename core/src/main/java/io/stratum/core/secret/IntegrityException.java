package io.stratum.core.secret;

import io.stratum.core.error.StratumException;

/** A stored secret failed its authentication check: tampered, truncated, or sealed under another key. Never garbage. */
public final class IntegrityException extends StratumException {
    public IntegrityException(String detail) {
        super("integrity-check-failed", detail);
    }

    @Override
    public Kind kind() {
        return Kind.INTEGRITY;
    }
}
