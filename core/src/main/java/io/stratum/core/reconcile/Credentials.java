package io.stratum.core.reconcile;

import java.security.SecureRandom;

/** Generated passwords and the contexts their sealed copies are bound to. */
public final class Credentials {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {}

    /** A random password of {@code length} letters and digits (about 5.8 bits each). */
    public static String password(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /**
     * The secret holding an instance's master credentials (RDS shape), e.g. {@code shop/prod/orders/master}. A read
     * replica has its source's (same stack and stage): its engine holds the source's users, so a rotation of the
     * source's password is the replica's too.
     */
    public static String masterSecret(io.stratum.core.instance.InstanceSpec spec) {
        return prefix(spec) + (spec.isReplica() ? spec.source() : spec.name()) + "/master";
    }

    /** The secret holding the replication login's password of a source instance (Stratum's; no tenant reads it). */
    public static String replicationSecret(io.stratum.core.instance.InstanceSpec source) {
        return prefix(source) + source.name() + "/replication";
    }

    /** The secret holding Stratum's own admin credentials for the instance (used for Redis). */
    public static String adminSecret(io.stratum.core.instance.InstanceSpec spec) {
        return prefix(spec) + spec.name() + "/admin";
    }

    /** The secret holding a managed user's credentials, e.g. {@code shop/prod/orders/users/reporting}. */
    public static String userSecret(io.stratum.core.instance.InstanceSpec spec, String user) {
        return prefix(spec) + spec.name() + "/users/" + user;
    }

    /** A managed user's secret value, in the master secret's (RDS) shape. */
    public static String userValue(io.stratum.core.instance.InstanceSpec spec, String host, io.stratum.core.user.ManagedUser user,
                                   String password) {
        return value(spec, host, user.name(), password, user.database() == null ? spec.database() : user.database());
    }

    private static String prefix(io.stratum.core.instance.InstanceSpec spec) {
        return spec.stack() == null ? "" : spec.stack() + "/" + spec.stage() + "/";
    }

    /** The RDS-shaped value of a master secret. */
    public static String masterValue(io.stratum.core.instance.InstanceSpec spec, String host, String password) {
        return value(spec, host, spec.masterUser(), password, spec.database());
    }

    private static String value(io.stratum.core.instance.InstanceSpec spec, String host, String username, String password, String dbname) {
        java.util.Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("engine", spec.engine());
        v.put("host", host);
        v.put("port", spec.port());
        v.put("username", username);
        v.put("password", password);
        v.put("dbname", dbname);
        return io.stratum.core.secret.FlatJson.write(v);
    }

    /** The replication login's secret value. */
    public static String replicationValue(String password) {
        return io.stratum.core.secret.FlatJson.write(java.util.Map.of("username", io.stratum.core.engine.ReplicationLink.USER,
                "password", password));
    }

    public static String adminValue(String password) {
        return io.stratum.core.secret.FlatJson.write(java.util.Map.of("username", "stratum-admin", "password", password));
    }

    /** Tags of an instance's secrets: stack and stage (for access and filtering), instance and purpose. */
    public static java.util.Map<String, String> tags(io.stratum.core.instance.InstanceSpec spec, String purpose, boolean stackScoped) {
        java.util.Map<String, String> t = new java.util.TreeMap<>();
        if (stackScoped && spec.stack() != null) {
            t.put("stack", spec.stack());
            t.put("stage", spec.stage());
        }
        t.put("instance", spec.name());
        t.put("purpose", purpose);
        return t;
    }

    /** The password field of a credentials secret value. */
    public static String password(String secretValue) {
        return io.stratum.core.secret.FlatJson.read(secretValue).get("password");
    }
}
