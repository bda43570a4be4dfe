package io.stratum.core.port;

import io.stratum.core.model.Stage;
import java.util.List;
import java.util.Optional;

public interface StageRepository {
    /** Inserts; returns false when the stack already has a stage of that name. */
    boolean insert(Stage stage);

    Optional<Stage> find(String stack, String name);

    List<Stage> listByStack(String stack);

    List<Stage> listAll();

    boolean delete(String stack, String name);
}
