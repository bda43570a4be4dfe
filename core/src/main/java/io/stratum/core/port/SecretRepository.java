package io.stratum.core.port;

import io.stratum.core.secret.SealedValue;
import io.stratum.core.secret.Secret;
import io.stratum.core.secret.SecretVersion;
import java.util.List;
import java.util.Optional;

public interface SecretRepository {
    /** Inserts; returns false when the name is taken. */
    boolean insert(Secret secret);

    Optional<Secret> find(String name);

    List<Secret> list();

    void update(Secret secret);

    /** Deletes the secret and all its versions. */
    boolean delete(String name);

    void addVersion(SecretVersion version);

    Optional<SecretVersion> version(String name, int version);

    List<SecretVersion> versions(String name);

    List<SecretVersion> allVersions();

    void replaceSealed(String name, int version, SealedValue sealed);

    boolean deleteVersion(String name, int version);
}
