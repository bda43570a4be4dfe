package io.stratum.server;

import io.stratum.core.port.MetadataStore;
import io.stratum.core.port.StoreTx;
import java.util.function.Function;

/** A metadata store that hands everything to another; subclasses change what they must (how transactions run). */
abstract class ForwardingStore implements MetadataStore {
    protected final MetadataStore store;

    ForwardingStore(MetadataStore store) {
        this.store = store;
    }

    @Override
    public <T> T inTransaction(Function<StoreTx, T> work) {
        return store.inTransaction(work);
    }

    @Override
    public <T> T read(Function<StoreTx, T> work) {
        return store.read(work);
    }

    @Override
    public boolean healthy() {
        return store.healthy();
    }

    @Override
    public String description() {
        return store.description();
    }

    @Override
    public void close() {
        store.close();
    }
}
