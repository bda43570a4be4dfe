package io.stratum.core.user;

/** A managed user with its password, in memory only, for the engine to set its hash. */
public record UserCredentials(ManagedUser user, String password) {
    public String name() {
        return user.name();
    }

    @Override
    public String toString() {
        return "UserCredentials[" + user.instance() + "/" + user.name() + ", password redacted]";
    }
}
