package io.stratum.core.port;

import io.stratum.core.user.ManagedUser;
import java.util.List;
import java.util.Optional;

/** The managed users of instances. */
public interface ManagedUserRepository {
    /** Returns false when the instance already has a user of that name. */
    boolean insert(ManagedUser user);

    Optional<ManagedUser> find(String instance, String name);

    /** An instance's users, by name. */
    List<ManagedUser> list(String instance);

    void delete(String instance, String name);
}
