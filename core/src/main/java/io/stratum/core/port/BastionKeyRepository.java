package io.stratum.core.port;

import io.stratum.core.bastion.BastionKey;
import java.util.List;
import java.util.Optional;

public interface BastionKeyRepository {
    /** Returns false when the stack already has a key with this fingerprint. */
    boolean insert(BastionKey key);

    Optional<BastionKey> find(String id);

    /** Keys of {@code stack} with {@code fingerprint} (revoked and expired ones included). */
    List<BastionKey> findByFingerprint(String stack, String fingerprint);

    /** All keys, or a stack's keys when {@code stack} is not null. */
    List<BastionKey> list(String stack);

    void update(BastionKey key);
}
