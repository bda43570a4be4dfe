package io.stratum.core.engine;

import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.network.Cidr;
import io.stratum.core.network.IngressPolicy;
import java.nio.file.Path;
import io.stratum.core.user.UserCredentials;
import java.util.List;

/**
 * Everything an engine provider needs to act on one instance: its spec, directories, addresses, the OS users that run
 * it (see {@link OsUsers}), the source networks it admits, its managed database users, and its credentials in memory
 * (never logged, never on argv).
 */
public record InstanceContext(InstanceSpec spec, Path instanceDir, Path templatesDir, String bindAddress,
                              String connectHost, OsUsers users, String masterPassword,
                              String adminSecret, List<Cidr> ingress, List<UserCredentials> managedUsers,
                              ReplicationLink replication) {

    public InstanceContext {
        ingress = List.copyOf(ingress);
        managedUsers = List.copyOf(managedUsers);
    }

    /** A primary's (or an external's) context: it follows no source. */
    public InstanceContext(InstanceSpec spec, Path instanceDir, Path templatesDir, String bindAddress, String connectHost, OsUsers users,
                           String masterPassword, String adminSecret, List<Cidr> ingress, List<UserCredentials> managedUsers) {
        this(spec, instanceDir, templatesDir, bindAddress, connectHost, users, masterPassword, adminSecret, ingress, managedUsers, null);
    }

    /** The same instance as a read replica following {@code link}. */
    public InstanceContext withReplication(ReplicationLink link) {
        return new InstanceContext(spec, instanceDir, templatesDir, bindAddress, connectHost, users, masterPassword, adminSecret, ingress,
                managedUsers, link);
    }

    /** The databases of the instance: its own, then those of its managed users (the master user may use every one). */
    public List<String> databases() {
        java.util.LinkedHashSet<String> dbs = new java.util.LinkedHashSet<>();
        dbs.add(spec.database());
        for (UserCredentials u : managedUsers) {
            if (u.user().database() != null) dbs.add(u.user().database());
        }
        return List.copyOf(dbs);
    }

    /**
     * The address Stratum binds for its own TCP checks of a managed instance (admitted by every rule set, see
     * {@link IngressPolicy}); null where the kernel picks the source: a non-loopback endpoint, or a database Stratum
     * does not run (no ingress rules of its own).
     */
    public String healthCheckSource() {
        return IngressPolicy.loopback(connectHost) && !ingress.isEmpty() ? IngressPolicy.healthCheckSource(connectHost) : null;
    }

    /** The OS user the engine runs as; null: the control plane's own user. */
    public String engineUser() {
        return users.engine();
    }

    /** The control plane's OS user name. */
    public String controlUser() {
        return users.control();
    }

    public Path dataDir() { return instanceDir.resolve("data"); }

    public Path confDir() { return instanceDir.resolve("conf"); }

    public Path logDir() { return instanceDir.resolve("log"); }

    public Path runDir() { return instanceDir.resolve("run"); }

    /** The only directory a MariaDB instance may read and write files in ({@code secure_file_priv}). */
    public Path filesDir() { return instanceDir.resolve("files"); }

    /** TLS material written by Stratum (see {@code InstanceCertificates}). */
    public Path tlsCertificate() { return confDir().resolve("server.crt"); }

    public Path tlsKey() { return confDir().resolve("server.key"); }

    public Path tlsCa() { return confDir().resolve("ca.crt"); }

    /** {@code off}, {@code prefer} or {@code require}. */
    public String tls() { return spec.tls(); }

    public boolean tlsOn() { return !"off".equals(spec.tls()); }

    public boolean tlsRequired() { return "require".equals(spec.tls()); }

    /** Connections check the server's certificate and host name ({@code verify-full}: external databases with --tls require). */
    public boolean tlsVerified() { return "verify-full".equals(spec.tls()); }

    @Override
    public String toString() {
        return "InstanceContext[" + spec.name() + " at " + instanceDir + ", credentials redacted]";
    }
}
