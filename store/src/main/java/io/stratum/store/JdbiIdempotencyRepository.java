package io.stratum.store;

import io.stratum.core.port.IdempotencyRepository;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiIdempotencyRepository implements IdempotencyRepository {
    private final Handle h;

    JdbiIdempotencyRepository(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<StoredResponse> find(String tokenId, String key) {
        return h.createQuery("SELECT * FROM idempotency_keys WHERE token_id = :t AND idem_key = :k")
                .bind("t", tokenId).bind("k", key)
                .map((rs, ctx) -> new StoredResponse(rs.getString("request_hash"), rs.getInt("status"),
                        rs.getString("location"), rs.getString("body")))
                .findOne();
    }

    @Override
    public void save(String tokenId, String key, StoredResponse r, Instant at) {
        h.createUpdate("""
                        INSERT INTO idempotency_keys (token_id, idem_key, request_hash, status, location, body, created_at)
                        VALUES (:t, :k, :hash, :status, :location, :body, :at) ON CONFLICT DO NOTHING""")
                .bind("t", tokenId).bind("k", key).bind("hash", r.requestHash()).bind("status", r.status())
                .bind("location", r.location()).bind("body", r.body()).bind("at", at.toEpochMilli()).execute();
    }

    @Override
    public int deleteOlderThan(Instant cutoff) {
        return h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoff.toEpochMilli()).execute();
    }
}
