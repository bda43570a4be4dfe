package io.stratum.core.port;

import io.stratum.core.external.ExternalInstance;
import java.util.List;
import java.util.Optional;

public interface ExternalInstanceRepository {
    boolean insert(ExternalInstance e);

    Optional<ExternalInstance> find(String name);

    List<ExternalInstance> list();

    void update(ExternalInstance e);

    boolean delete(String name);
}
