package io.stratum.core.port;

import java.time.Instant;
import java.util.Optional;

/** Stored answers to POSTs carrying an Idempotency-Key, per token. */
public interface IdempotencyRepository {
    record StoredResponse(String requestHash, int status, String location, String body) {}

    Optional<StoredResponse> find(String tokenId, String key);

    void save(String tokenId, String key, StoredResponse response, Instant at);

    int deleteOlderThan(Instant cutoff);
}
