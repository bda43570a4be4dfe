package io.stratum.server;

import io.stratum.core.port.Envelope;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.port.StoreTx;
import java.util.function.Function;

/**
 * The metadata store with every transaction inside {@link Envelope#sealing}: a value sealed in a transaction is
 * committed before a master-key rotation starts, or sealed under the new key after it (taken before the transaction
 * begins, so a rotation waiting for the store's write lock never waits for a sealer that holds it).
 */
final class SealingGuardedStore extends ForwardingStore {
    private final Envelope envelope;

    SealingGuardedStore(MetadataStore store, Envelope envelope) {
        super(store);
        this.envelope = envelope;
    }

    @Override
    public <T> T inTransaction(Function<StoreTx, T> work) {
        return envelope.sealing(() -> store.inTransaction(work));
    }
}
