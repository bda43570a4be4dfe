package io.stratum.core.port;

import io.stratum.core.model.Stack;
import java.util.List;
import java.util.Optional;

public interface StackRepository {
    /** Inserts; returns false when the name is taken. */
    boolean insert(Stack stack);

    Optional<Stack> find(String name);

    List<Stack> list();

    boolean delete(String name);
}
