package io.stratum.core.port;

import io.stratum.core.model.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface TokenRepository {
    void insert(ApiToken token, String hash);

    Optional<ApiToken> findActiveByHash(String hash);

    Optional<ApiToken> find(String id);

    List<ApiToken> list();

    boolean revoke(String id, Instant at);

    boolean anyActiveAdmin();
}
