package io.stratum.core.instance;

import java.util.List;

/**
 * {@code db replica create} as sent over the API; null means "not given": the source's class, a free port, the source's
 * security groups, the source's stack (a replica lives in its source's stack and stage; naming another is refused).
 */
public record CreateReplicaRequest(String name, String source, String instanceClass, Integer port, List<String> securityGroups,
                                   String stack) {}
