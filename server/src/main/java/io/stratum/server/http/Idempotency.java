package io.stratum.server.http;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.port.IdempotencyRepository.StoredResponse;
import io.stratum.core.port.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Honours {@code Idempotency-Key} on POST: the same key with the same request returns the stored answer and changes
 * nothing; the same key with a different request is refused. Keys are per token and kept for 24 hours.
 */
final class Idempotency {
    static final Duration RETENTION = Duration.ofHours(24);
    private final MetadataStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    Idempotency(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What a repeat of a request whose answer held a secret gets: a conflict naming what was created (the Location),
     * never the secret, which is shown once and kept nowhere.
     */
    private static Answer withoutSecret(Answer answer) {
        return new Answer(409, answer.location(), Json.write(Problem.of(409, "Conflict", "secret-not-kept", "this request was already "
                + "done (" + answer.location() + "); its answer held a secret, which is shown once and kept nowhere: revoke what it "
                + "created if the secret was lost, and make a new one", null)));
    }

    /** The answer and its serialized body, as stored and as replayed; {@code holdsSecret}: never stored as it is. */
    record Answer(int status, String location, String body, boolean holdsSecret) {
        Answer(int status, String location, String body) {
            this(status, location, body, false);
        }
    }

    Answer handle(Principal p, String key, String method, String path, String body, Supplier<Answer> work) {
        if (key.isBlank() || key.length() > 255) {
            throw ValidationException.of("Idempotency-Key", "must be 1-255 characters (e.g. a UUID)");
        }
        String requestHash = TokenSecrets.hash(method + " " + path + "\n" + (body == null ? "" : body));
        String lockKey = p.tokenId() + "\u0000" + key;
        Object lock = locks.computeIfAbsent(lockKey, k -> new Object());
        synchronized (lock) {
            try {
                var stored = store.read(tx -> tx.idempotency().find(p.tokenId(), key));
                if (stored.isPresent()) {
                    if (!stored.get().requestHash().equals(requestHash)) {
                        throw new ConflictException("idempotency-key-reused",
                                "Idempotency-Key '" + key + "' was already used for a different request; use a new key");
                    }
                    return new Answer(stored.get().status(), stored.get().location(), stored.get().body());
                }
                Answer answer = work.get();
                Answer kept = answer.holdsSecret() ? withoutSecret(answer) : answer;
                store.inTransaction(tx -> {
                    tx.idempotency().deleteOlderThan(clock.instant().minus(RETENTION));
                    tx.idempotency().save(p.tokenId(), key,
                            new StoredResponse(requestHash, kept.status(), kept.location(), kept.body()), clock.instant());
                    return null;
                });
                return answer;
            } finally {
                locks.remove(lockKey, lock);
            }
        }
    }
}
