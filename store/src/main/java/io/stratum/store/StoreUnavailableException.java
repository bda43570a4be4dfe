package io.stratum.store;

/** The metadata store cannot be opened: the message names the store (never its password) and the setting to fix. */
public final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
