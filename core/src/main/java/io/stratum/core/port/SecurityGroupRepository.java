package io.stratum.core.port;

import io.stratum.core.network.SecurityGroup;
import java.util.List;
import java.util.Optional;

public interface SecurityGroupRepository {
    /** Inserts a group without rules; returns false when the name is taken. */
    boolean insert(SecurityGroup group);

    Optional<SecurityGroup> find(String name);

    List<SecurityGroup> list();

    boolean delete(String name);

    /** Adds a rule; returns false when the group already has it. */
    boolean addRule(String group, SecurityGroup.Rule rule);

    boolean removeRule(String group, SecurityGroup.Rule rule);
}
