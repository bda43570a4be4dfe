package io.stratum.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Life of an operation, with its allowed next states. */
public enum OperationState {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    public Set<OperationState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(RUNNING, SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED -> EnumSet.noneOf(OperationState.class);
        };
    }

    public boolean canMoveTo(OperationState target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
