package io.stratum.core.port;

import io.stratum.core.model.Operation;
import java.util.List;
import java.util.Optional;

public interface OperationRepository {
    void insert(Operation operation);

    /** Stores the operation's new state; the caller has checked the transition. */
    void update(Operation operation);

    Optional<Operation> find(String id);

    List<Operation> listRecent(int limit);

    /** Operations still pending or running (after a restart: interrupted work), oldest first. */
    List<Operation> listUnfinished();
}
