package io.stratum.core.port;

import io.stratum.core.instance.Instance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface InstanceRepository {
    /** Inserts; returns false when the name is taken. */
    boolean insert(Instance instance);

    Optional<Instance> find(String name);

    List<Instance> list();

    void update(Instance instance);

    boolean delete(String name);

    /** The read replicas of instance {@code source}, by name. */
    List<Instance> replicasOf(String source);

    /** Ports held by recorded instances. */
    Set<Integer> usedPorts();

    int countByStage(String stack, String stage);

    /** Master and admin passwords sealed in the instance row by versions before the secret store, by instance name. */
    Map<String, List<String>> legacySealedCredentials();

    void clearLegacySealedCredentials(String name);
}
