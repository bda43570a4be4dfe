package io.stratum.core.port;

import java.util.function.Function;

/** The metadata store as the core sees it: units of work over repositories, committed atomically. */
public interface MetadataStore extends AutoCloseable {

    /** Runs {@code work} in one transaction; commits when it returns, rolls back when it throws. */
    <T> T inTransaction(Function<StoreTx, T> work);

    /**
     * Runs read-only {@code work} without taking the write lock (autocommit reads). Use for lookups and lists; anything
     * that must see one consistent snapshot together with a change belongs in {@link #inTransaction}.
     */
    <T> T read(Function<StoreTx, T> work);

    /** True when the store answers a trivial query. */
    boolean healthy();

    /** A short description for logs, without credentials (e.g. {@code sqlite:/var/lib/stratum/stratum.db}). */
    String description();

    @Override
    void close();
}
